// Reading what wrk and h2load print, and rebuilding a histogram from wrk's percentile ladder.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseH2loadErrors, parseH2loadLog } from '../../benchmarks/external/h2load.ts';
import { histogramFromQuantiles } from '../../benchmarks/external/quantiles.ts';
import { parseWrkOutput } from '../../benchmarks/external/wrk.ts';

describe('wrk output', () => {
  test('reads requests, summed errors, duration and the percentile ladder from the done() hook', () => {
    const stdout = [
      'Running 2s test @ http://127.0.0.1:4280/bench/static',
      'MOCKD_SUMMARY 40868 2029062 1 2 3 4 5',
      'MOCKD_Q 50 298',
      'MOCKD_Q 99.9 36291',
      'MOCKD_Q 100 47546',
    ].join('\n');
    assert.deepEqual(parseWrkOutput(stdout), {
      requests: 40868,
      errors: 15,
      seconds: 2.029062,
      quantiles: [
        [50, 298],
        [99.9, 36291],
        [100, 47546],
      ],
    });
  });

  test('fails when the done() hook printed nothing', () => {
    assert.throws(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused'), /wrk printed no summary/);
  });
});

describe('h2load output', () => {
  const summary = (failed: number, c4xx: number, c5xx: number) =>
    `requests: 100 total, 100 started, 100 done, ${100 - failed} succeeded, ${failed} failed, 0 errored, 0 timeout\n` +
    `status codes: 90 2xx, 0 3xx, ${c4xx} 4xx, ${c5xx} 5xx\n`;

  for (const [failed, c4xx, c5xx, expected] of [
    [0, 0, 0, 0],
    [3, 0, 0, 3],
    [0, 2, 5, 7],
    [1, 1, 1, 3],
  ] as const) {
    test(`counts ${expected} errors from ${failed} failed, ${c4xx} 4xx and ${c5xx} 5xx`, () => {
      assert.equal(parseH2loadErrors(summary(failed, c4xx, c5xx)), expected);
    });
  }

  test('takes latencies of completed requests from the log and skips failed ones (status -1)', () => {
    const log = '1795708679485228\t200\t3120\n1795708679485229\t-1\t99\n1795708679485230\t0\t1\n';
    assert.deepEqual(parseH2loadLog(log), { completed: 2, latenciesNs: [3_120_000, 1000] });
  });
});

// perf_hooks histograms keep 3 significant digits, so values come back within 0.1 %.
function assertNear(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= expected * 0.001, `${actual} is not within 0.1 % of ${expected}`);
}

describe('histogram from percentiles', () => {
  test('keeps the percentiles it was built from', () => {
    const ladder: [number, number][] = Array.from({ length: 100 }, (_, i) => [i + 1, (i + 1) * 10]);
    const h = histogramFromQuantiles(ladder, 100_000, 1000);
    assert.equal(h.count, 10_000);
    assertNear(h.percentile(50), 500_000);
    assertNear(h.percentile(99), 990_000);
  });

  test('weighs rounds by their request counts when merged', () => {
    const fast = histogramFromQuantiles([[100, 1]], 30_000, 1000);
    const slow = histogramFromQuantiles([[100, 9]], 10_000, 1000);
    fast.add(slow);
    assertNear(fast.percentile(70), 1000);
    assertNear(fast.percentile(80), 9000);
  });
});
