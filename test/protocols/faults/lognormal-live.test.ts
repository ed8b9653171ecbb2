// A lognormal latency measured from outside (README "Faults and chaos"): many requests to a mock with
// `latency: {type: lognormal, median, sigma}`, timed by the client, have a median near `median`. The same requests to
// a mock with a fixed latency of `median` run in turn with them, and their median's excess over `median` (request
// overhead plus timer lateness) is taken off. Why the bound here is 15%, not the 10%: on a 2-core machine at
// load average ~30 the lateness is heavy-tailed and adds more to a spread-out latency than to a fixed one (seen:
// +5-13% client-side, +5-7% in the journal's server-side durations, while the fixed control was +1-5%). The 10% bound
// on the distribution itself is asserted on 20,000 draws in latency.test.ts; the diagnostics print both figures.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../../helpers/mockd.ts';
import { fetchWithTimeout } from '../../helpers/wait.ts';

const MEDIAN_MS = 100;
const SIGMA = 0.3;
/** 400 draws put the sample median's standard error near 2% (1.25·sigma/√n), well inside the 10% bound. */
const SAMPLES = 400;
const LANES = 8;

async function timed(url: string): Promise<number> {
  const t0 = performance.now();
  await (await fetchWithTimeout(url)).arrayBuffer();
  return performance.now() - t0;
}

/** A few lanes, each one request at a time, the fixed and the lognormal mock in turn, so load hits both alike. */
async function timings(fixedUrl: string, url: string): Promise<{ fixed: number[]; lognormal: number[] }> {
  const fixed: number[] = [];
  const lognormal: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (next++ < SAMPLES) {
        fixed.push(await timed(fixedUrl));
        lognormal.push(await timed(url));
      }
    }),
  );
  return { fixed: fixed.sort((a, b) => a - b), lognormal: lognormal.sort((a, b) => a - b) };
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;

test(`the client-side median of a lognormal latency (median ${MEDIAN_MS} ms) is close to it, its first quartile below it`, { timeout: 60_000 }, async (t) => {
  const m = await startMockd(t);
  const response = { statusCode: 200, body: 'ok' };
  await m.createMock({ id: 'fixed', type: 'http', http: { matcher: { path: '/fixed' }, response }, faults: { latency: MEDIAN_MS } });
  await m.createMock({ id: 'ln', type: 'http', http: { matcher: { path: '/ln' }, response }, faults: { latency: { type: 'lognormal', median: MEDIAN_MS, sigma: SIGMA } } });
  const { fixed, lognormal } = await timings(`${m.mockUrl}/fixed`, `${m.mockUrl}/ln`);
  const excess = median(fixed) - MEDIAN_MS;
  const observed = median(lognormal) - excess;
  const served = async (id: string) =>
    ((await m.api(`/requests?mockId=${id}`)).body.requests as { http: { durationMs: number } }[]).map((e) => e.http.durationMs).sort((a, b) => a - b);
  const [sf, sl] = [await served('fixed'), await served('ln')];
  t.diagnostic(`server-side: fixed ${median(sf).toFixed(1)}, lognormal ${median(sl).toFixed(1)} -> ${(median(sl) - median(sf) + MEDIAN_MS).toFixed(1)}`);
  t.diagnostic(`client-side median ${observed.toFixed(1)} ms for a median of ${MEDIAN_MS} ms (excess ${excess.toFixed(1)} ms taken off)`);
  assert.ok(excess >= 0, `a fixed ${MEDIAN_MS} ms latency answered in ${median(fixed).toFixed(1)} ms`);
  assert.ok(Math.abs(observed - MEDIAN_MS) / MEDIAN_MS < 0.15, `median ${observed.toFixed(1)} ms`);
  // The spread shows too: the lognormal's quartiles sit at median·e^(∓0.674·sigma).
  const q1 = lognormal[Math.floor(lognormal.length / 4)]! - excess;
  assert.ok(q1 < MEDIAN_MS * 0.9, `first quartile ${q1.toFixed(1)} ms`);
});
