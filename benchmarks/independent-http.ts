// The "independent run" of HTTP, reproducible: wrk -t2 -c50 keep-alive GETs of a static JSON mock with 1,000
// mocks of one kind loaded beside it, journal on, against bare node:http (baselines/http.ts), in ABBA rounds, with
// each server's CPU time per request read from /proc. `npm run bench` loads a mixed set instead (scenarios/
// http-mocks.ts: 80 % exact paths, 1 % pathPattern), which is one reason the two disagree (README "Performance").
//
//   node --import tsx benchmarks/independent-http.ts [--kind anchored|unanchored|mixed|exact] [--seconds 10]
//     [--rounds 2] [--workers 1] [--journal-size N]

import { runWrk } from './external/wrk.ts';
import { BenchAdmin } from './admin.ts';
import { cpuSeconds } from './proc-stats.ts';
import { startBaseline, startMockd } from './targets.ts';
import { fillerMocks, STATIC_MOCK } from './scenarios/http-mocks.ts';
import { argValue } from './baselines/ready.ts';

const kind = argValue('kind', 'anchored');
const seconds = Number(argValue('seconds', '10'));
const rounds = Number(argValue('rounds', '2'));
const workers = argValue('workers', '1');
const journal = argValue('journal-size', '');

/** 1,000 pathPattern mocks: anchored on a literal prefix (indexed), or unanchored (scanned on every request). */
function mocksOf(k: string): unknown[] {
  if (k === 'mixed') return fillerMocks(1000, 1);
  return Array.from({ length: 1000 }, (_, i) => {
    const matcher =
      k === 'exact' ? { method: 'GET', path: `/api/v1/items-${i}` }
      : k === 'unanchored' ? { pathPattern: `/api/v1/items-${i}/[0-9]+` }
      : { pathPattern: `^/api/v1/items-${i}/[0-9]+$` };
    return { id: `p${i}`, http: { matcher, response: { statusCode: 200, body: { i } } } };
  });
}

const mockd = await startMockd(['--workers', workers, ...(journal ? ['--journal-size', journal] : [])]);
const baseline = await startBaseline('http.ts');
try {
  const admin = new BenchAdmin(mockd.info.adminApi!);
  await admin.create(STATIC_MOCK);
  await admin.bulk(mocksOf(kind));
  const sides = { mockd: { url: `${mockd.info.mockServer}/bench/static`, pid: mockd.pid }, 'node:http': { url: `http://127.0.0.1:${baseline.info.port}/bench/static`, pid: baseline.pid } };
  const totals: Record<string, { ops: number; s: number; cpu: number }> = { mockd: { ops: 0, s: 0, cpu: 0 }, 'node:http': { ops: 0, s: 0, cpu: 0 } };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? (['mockd', 'node:http'] as const) : (['node:http', 'mockd'] as const);
    for (const name of order) {
      let c0 = 0;
      let c1 = 0;
      const m = await runWrk({ url: sides[name].url, threads: 2, connections: 50 }, {
        warmupMs: 2000,
        durationMs: seconds * 1000,
        onMeasure: () => (c0 = cpuSeconds(sides[name].pid) ?? 0),
        onStop: () => (c1 = cpuSeconds(sides[name].pid) ?? 0),
      });
      totals[name]!.ops += m.ops;
      totals[name]!.s += m.seconds;
      totals[name]!.cpu += c1 - c0;
      process.stderr.write(`${name} round ${r + 1}: ${Math.round(m.ops / m.seconds)} req/s\n`);
    }
  }
  const rate = (n: string) => totals[n]!.ops / totals[n]!.s;
  const us = (n: string) => (totals[n]!.cpu * 1e6) / totals[n]!.ops;
  console.log(JSON.stringify({
    kind, workers, seconds, rounds,
    mockd: { reqPerS: Math.round(rate('mockd')), cpuUsPerReq: +us('mockd').toFixed(2) },
    nodeHttp: { reqPerS: Math.round(rate('node:http')), cpuUsPerReq: +us('node:http').toFixed(2) },
    throughputRatio: +(rate('mockd') / rate('node:http')).toFixed(3),
    cpuRatio: +(us('node:http') / us('mockd')).toFixed(3),
  }));
} finally {
  await Promise.all([mockd.stop(), baseline.stop()]);
}
