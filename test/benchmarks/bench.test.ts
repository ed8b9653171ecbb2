// Smoke test of `mockd bench` (contract §11): every target runs for a second with a handful of connections, and the
// report has the contract's shape. Speed is not checked; the results go to a temp dir, never benchmarks/results.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT, runCli, tempDir } from '../helpers/mockd.ts';

const COMMITTED = join(ROOT, 'benchmarks', 'results', 'latest.json');
const committedStamp = () => (existsSync(COMMITTED) ? statSync(COMMITTED).mtimeMs : undefined);

function assertTargetShape(t: any, where: string): void {
  assert.equal(typeof t.throughput, 'number', `${where}.throughput`);
  assert.ok(t.p50Ms === null || typeof t.p50Ms === 'number', `${where}.p50Ms`);
  assert.ok(t.p99Ms === null || typeof t.p99Ms === 'number', `${where}.p99Ms`);
  assert.equal(typeof t.errors, 'number', `${where}.errors`);
}

describe('mockd bench', () => {
  test('runs every protocol against its baseline and reports each scenario in the contract shape', async (t) => {
    const out = tempDir(t, 'mockd-bench-');
    const before = committedStamp();
    // One round per scenario keeps the whole file inside the runner's 120 s per file on a loaded machine.
    const args = ['bench', 'all', '--duration', '1', '--warmup', '0', '--connections', '4', '--rounds', '1', '--scale', '100', '--generator', 'node', '--out', out, '--json'];
    const run = await runCli(args, { timeoutMs: 110_000 });
    assert.equal(run.code, 0, `exit code; stderr:\n${run.stderr}`);
    const report = JSON.parse(run.stdout);

    assert.match(report.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(report.node, process.version);
    assert.equal(typeof report.cpus, 'number');
    assert.equal(report.durationS, 1);
    assert.equal(report.connections, 4);
    assert.deepEqual(report.failures, []);
    assert.equal(typeof report.machine.cpuModel, 'string');

    const rowsOf = (protocol: string) => report.results.filter((r: any) => r.protocol === protocol);
    assert.deepEqual(
      ['http', 'sse', 'websocket', 'mqtt', 'grpc', 'scale', 'https'].map((p) => rowsOf(p).length),
      [7, 1, 1, 2, 2, 3, 2],
    );
    assert.deepEqual(rowsOf('mqtt').map((r: any) => r.scenario.slice(0, 5)), ['QoS 0', 'QoS 1']);
    const libraries = Object.fromEntries(report.results.map((r: any) => [r.protocol, r.baseline?.library]));
    assert.deepEqual(libraries, { http: 'node:http', sse: 'node:http', websocket: 'ws', mqtt: 'aedes', grpc: '@grpc/grpc-js', scale: 'ws', https: 'node:https' });

    for (const r of report.results) {
      const where = `${r.protocol} ${r.scenario}`;
      assert.equal(typeof r.unit, 'string', where);
      assert.equal(typeof r.generator, 'string', where);
      assertTargetShape(r.mockd, `${where} mockd`);
      assertTargetShape(r.baseline, `${where} baseline`);
      if (r.baseline.throughput > 0) assert.equal(r.ratio, Math.round((r.mockd.throughput / r.baseline.throughput) * 100) / 100, where);
      if (r.protocol !== 'scale') {
        assert.ok(r.mockd.throughput > 0 && r.baseline.throughput > 0, `${where}: both sides completed operations`);
      }
    }

    assert.deepEqual(JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')), report);
    const md = readFileSync(join(out, 'latest.md'), 'utf8');
    assert.match(md, /\| PROTOCOL \| SCENARIO \| TARGET \| THROUGHPUT \| P50 \| P99 \| RATIO \|/);
    assert.match(md, /## Machine/);
    assert.equal(committedStamp(), before, 'benchmarks/results/latest.json was left alone');
  });

  test('exits 2 with usage text for an unknown target', async () => {
    const run = await runCli(['bench', 'carrier-pigeon']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown bench target "carrier-pigeon"/);
  });
});
