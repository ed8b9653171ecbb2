// Where a server process spends its CPU, thread by thread, under the HTTP load (wrk -t2 -c50 keep-alive GETs
// of a static JSON mock, 1,000 anchored pathPattern mocks loaded, journal on), against bare node:http: CPU µs per
// request of each thread (from /proc/<pid>/task/*/stat), so a gap outside the mock-port host shows where it is.
//
//   node --import tsx benchmarks/thread-cpu.ts [--seconds 10] [--rounds 2] [--workers 1] [--journal-size N]

import { readdirSync, readFileSync } from 'node:fs';
import { runWrk } from './external/wrk.ts';
import { BenchAdmin } from './admin.ts';
import { startBaseline, startMockd } from './targets.ts';
import { STATIC_MOCK } from './scenarios/http-mocks.ts';
import { argValue } from './baselines/ready.ts';

const seconds = Number(argValue('seconds', '10'));
const rounds = Number(argValue('rounds', '2'));
const workers = argValue('workers', '1');
const journal = argValue('journal-size', '');
const TICKS = 100;

/** CPU ticks of every thread of `pid`, by `tid:name`. */
function threadTicks(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(`${tid}:${name}`, Number(f[11]) + Number(f[12]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

const mockd = await startMockd(['--workers', workers, ...(journal ? ['--journal-size', journal] : [])]);
const baseline = await startBaseline('http.ts');
try {
  const admin = new BenchAdmin(mockd.info.adminApi!);
  await admin.create(STATIC_MOCK);
  await admin.bulk(Array.from({ length: 1000 }, (_, i) => ({ id: `p${i}`, http: { matcher: { pathPattern: `^/api/v1/items-${i}/[0-9]+$` }, response: { statusCode: 200, body: { i } } } })));
  const sides = { mockd: { url: `${mockd.info.mockServer}/bench/static`, pid: mockd.pid }, 'node:http': { url: `http://127.0.0.1:${baseline.info.port}/bench/static`, pid: baseline.pid } };
  const per: Record<string, { ops: number; ticks: Map<string, number> }> = { mockd: { ops: 0, ticks: new Map() }, 'node:http': { ops: 0, ticks: new Map() } };
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 === 0 ? (['mockd', 'node:http'] as const) : (['node:http', 'mockd'] as const)) {
      let t0 = new Map<string, number>();
      let t1 = new Map<string, number>();
      const m = await runWrk({ url: sides[name].url, threads: 2, connections: 50 }, {
        warmupMs: 2000,
        durationMs: seconds * 1000,
        onMeasure: () => (t0 = threadTicks(sides[name].pid)),
        onStop: () => (t1 = threadTicks(sides[name].pid)),
      });
      per[name]!.ops += m.ops;
      for (const [k, v] of t1) per[name]!.ticks.set(k, (per[name]!.ticks.get(k) ?? 0) + v - (t0.get(k) ?? 0));
    }
  }
  for (const [name, { ops, ticks }] of Object.entries(per)) {
    let total = 0;
    const rows = [...ticks].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
    for (const [, v] of rows) total += v;
    console.log(`${name}: ${ops} requests, ${((total / TICKS) * 1e6 / ops).toFixed(2)} µs CPU/request`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(28)} ${((v / TICKS) * 1e6 / ops).toFixed(2)} µs/request`);
  }
} finally {
  await Promise.all([mockd.stop(), baseline.stop()]);
}
