// Smoke test of `mockd bench --workers` (README "Workers", "Performance"): the grpc target once per worker count beside
// N-thread baselines, and the scaling table. Speed is not checked; the results go to a temp dir. Kept apart from
// bench.test.ts so each file stays within the runner's per-file bound on a busy machine.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, tempDir } from '../helpers/mockd.ts';
import { canSharePort } from '../../src/coordinator/worker-count.ts';

describe('mockd bench --workers', () => {
  test('1,2 runs grpc per worker count beside N-thread baselines and adds a scaling table', async (t) => {
    const out = tempDir(t, 'mockd-bench-');
    const args = ['bench', 'grpc', '--workers', '1,2', '--duration', '0.5', '--warmup', '0', '--connections', '2', '--rounds', '1'];
    const run = await runCli([...args, '--generator', 'node', '--out', out, '--json'], { timeoutMs: 110_000 });
    assert.equal(run.code, 0, `exit code; stderr:\n${run.stderr}`);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.workers, [1, 2]);
    const one = report.results.filter((r: any) => r.workers === 1);
    assert.equal(one.length, 2);
    for (const r of one) assert.ok(r.mockd && r.baseline, `${r.scenario} at 1 worker ran`);
    const two = report.results.filter((r: any) => r.workers === 2);
    if (canSharePort()) {
      assert.equal(two.length, 2);
      for (const r of two) assert.match(r.baseline.library, /×2 threads/);
    } else {
      t.diagnostic(`Node ${process.versions.node} cannot share a port: the 2-worker pass is a note`);
      assert.match(two[0].note, /cannot share a port/);
    }
    const md = readFileSync(join(out, 'latest.md'), 'utf8');
    assert.match(md, /## Scaling/);
    assert.match(md, /\| PROTOCOL \| SCENARIO \| WORKERS \| MOCKD \|/);
  });

  test('exits 2 with usage text for a bad list', async () => {
    const run = await runCli(['bench', 'grpc', '--workers', '1,zero']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--workers must be a list/);
  });

});
