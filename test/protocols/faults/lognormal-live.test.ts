// A lognormal latency measured from outside (README "Faults and chaos"): many requests to a mock with
// `latency: {type: lognormal, median, sigma}`, timed by the client, have a median within 10% of `median` once the
// median time of the same request to a mock without faults is taken off.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../../helpers/mockd.ts';
import { fetchWithTimeout } from '../../helpers/wait.ts';

const MEDIAN_MS = 60;
const SIGMA = 0.3;
/** 400 draws put the sample median's standard error near 2% (1.25·sigma/√n), well inside the 10% bound. */
const SAMPLES = 400;
const LANES = 4;

async function timed(url: string): Promise<number> {
  const t0 = performance.now();
  await (await fetchWithTimeout(url)).arrayBuffer();
  return performance.now() - t0;
}

/** A few lanes, each one request at a time, the plain and the lognormal mock in turn, so load hits both alike. */
async function timings(plainUrl: string, url: string): Promise<{ plain: number[]; faulted: number[] }> {
  const plain: number[] = [];
  const faulted: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (next++ < SAMPLES) {
        plain.push(await timed(plainUrl));
        faulted.push(await timed(url));
      }
    }),
  );
  return { plain: plain.sort((a, b) => a - b), faulted: faulted.sort((a, b) => a - b) };
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;

test(`the client-side median of a lognormal latency (median ${MEDIAN_MS} ms) is within 10% of it`, { timeout: 60_000 }, async (t) => {
  const m = await startMockd(t);
  const response = { statusCode: 200, body: 'ok' };
  await m.createMock({ id: 'plain', type: 'http', http: { matcher: { path: '/plain' }, response } });
  await m.createMock({ id: 'ln', type: 'http', http: { matcher: { path: '/ln' }, response }, faults: { latency: { type: 'lognormal', median: MEDIAN_MS, sigma: SIGMA } } });
  const { plain, faulted } = await timings(`${m.mockUrl}/plain`, `${m.mockUrl}/ln`);
  const base = median(plain);
  const observed = median(faulted) - base;
  t.diagnostic(`client-side median ${observed.toFixed(1)} ms (overhead ${base.toFixed(1)} ms taken off) for a median of ${MEDIAN_MS} ms`);
  assert.ok(Math.abs(observed - MEDIAN_MS) / MEDIAN_MS < 0.1, `median ${observed.toFixed(1)} ms`);
});
