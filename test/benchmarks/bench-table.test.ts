// `mockd bench http` prints the contract's table (contract §11). Apart from bench.test.ts, whose `bench all` run
// takes most of the runner's 120 s per file on a loaded machine.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, tempDir } from '../helpers/mockd.ts';

describe('mockd bench http', () => {
  test('prints the table with a mockd row and a baseline row per scenario, and progress on stderr', async (t) => {
    const out = tempDir(t, 'mockd-bench-');
    const run = await runCli(['bench', 'http', '--duration', '1', '--warmup', '0', '--connections', '2', '--rounds', '1', '--out', out], {
      timeoutMs: 60_000,
    });
    assert.equal(run.code, 0, `exit code; stderr:\n${run.stderr}`);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^PROTOCOL {2,}SCENARIO {2,}TARGET {2,}THROUGHPUT {2,}P50 {2,}P99 {2,}RATIO$/);
    const targets = lines.slice(1).map((line) => line.split(/ {2,}/)[2]);
    // The third scenario is the http.proxy row (issue 21), whose baseline is the upstream called directly.
    assert.deepEqual(targets, Array.from({ length: 7 }, (_, i) => ['mockd', i === 2 ? 'node:http direct' : 'node:http']).flat());
    assert.match(run.stdout, /GET through an http\.proxy mock vs direct to its upstream {2,}mockd/);
    assert.match(lines[1]!, /req\/s {2,}[\d.]+ ms {2,}[\d.]+ ms {2,}\d+\.\d\d$/);
    assert.match(run.stderr, /http {2}GET static JSON, keep-alive, 1 mock: mockd round 1\/1/);
    assert.ok(existsSync(join(out, 'latest.md')));
  });
});
