// Rebuilding a histogram from a ladder of percentiles (what wrk exposes): the requests between two rungs are
// recorded at the upper rung's value, so percentiles of merged rounds stay within one rung of exact.

import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/**
 * One value is recorded per this many requests (past a few thousand): cheap for millions of requests, and the same
 * weight in every rebuild, so rounds of different sizes still merge in proportion.
 */
const REQUESTS_PER_SAMPLE = 10;

/**
 * `quantiles` are [percentile 0–100, value] pairs in increasing percentile order; `total` is the number of samples
 * they describe; `scale` converts a value to nanoseconds (1000 for microseconds).
 */
export function histogramFromQuantiles(quantiles: [number, number][], total: number, scale: number): RecordableHistogram {
  const histogram = createHistogram();
  const factor = total < 10_000 ? 1 : 1 / REQUESTS_PER_SAMPLE;
  let previous = 0;
  let carry = 0;
  for (const [p, value] of quantiles) {
    const share = ((p - previous) / 100) * total * factor + carry;
    const n = Math.floor(share);
    carry = share - n;
    previous = p;
    const ns = Math.max(1, Math.round(value * scale));
    for (let i = 0; i < n; i++) histogram.record(ns);
  }
  return histogram;
}
