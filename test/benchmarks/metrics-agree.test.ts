// `mockd bench` and mockd's metrics agree (issue 23): for every HTTP and MQTT row the Node generators drive, the
// operations the generator completed over the whole run equal what the mockd under test counted in GET /metrics.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, tempDir } from '../helpers/mockd.ts';

for (const target of ['mqtt', 'http']) {
  test(`after mockd bench ${target}, mockd's counters equal the operations the generator counted`, async (t) => {
    const out = tempDir(t, 'mockd-bench-agree-');
    const args = ['bench', target, '--duration', '1', '--warmup', '0.5', '--connections', '4', '--rounds', '1', '--generator', 'node', '--out', out, '--json'];
    const run = await runCli(args, { timeoutMs: 110_000 });
    assert.equal(run.code, 0, `exit code; stderr:\n${run.stderr}`);
    const report = JSON.parse(run.stdout);
    assert.ok(report.results.length >= 2);
    for (const r of report.results) {
      assert.ok(r.mockd.counted, `${r.scenario}: the row says what both counted`);
      assert.ok(r.mockd.counted.generator > 0, `${r.scenario}: the generator completed operations`);
      assert.equal(r.mockd.counted.metrics, r.mockd.counted.generator, `${r.scenario}: GET /metrics counted what the generator did`);
    }
  });
}

test('mockd bench metrics runs mockd against mockd --no-metrics for HTTP and MQTT QoS 0, with the ratio in one run', async (t) => {
  const out = tempDir(t, 'mockd-bench-metrics-');
  const args = ['bench', 'metrics', '--duration', '1', '--warmup', '0', '--connections', '4', '--rounds', '1', '--generator', 'node', '--out', out, '--json'];
  const run = await runCli(args, { timeoutMs: 110_000 });
  assert.equal(run.code, 0, `exit code; stderr:\n${run.stderr}`);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(report.results.map((r: any) => [r.protocol, r.baseline.library, r.unit]), [['metrics', 'mockd --no-metrics', 'req/s'], ['metrics', 'mockd --no-metrics', 'msg/s']]);
  for (const r of report.results) {
    assert.ok(r.mockd.throughput > 0 && r.baseline.throughput > 0, r.scenario);
    assert.equal(r.ratio, Math.round((r.mockd.throughput / r.baseline.throughput) * 100) / 100);
  }
});
