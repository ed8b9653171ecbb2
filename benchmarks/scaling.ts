// `mockd bench --workers 1,2,…` (README "Workers"): the http and grpc targets run once per worker count, mockd with
// `--workers N` beside a fair multi-core baseline (N reusePort threads of the bare library, baselines/threads.ts), and
// a scaling table sets each count against one worker: throughput gained, and server CPU per operation (which should
// stay flat: a pool adds no work per request, only threads).

import { table } from '../src/cli/output.ts';
import type { BenchResult } from './types.ts';

/** The protocols a worker count applies to: the ones whose mockd side and baseline both scale with threads. */
export const SCALING_PROTOCOLS = ['http', 'grpc'] as const;

export const SCALING_HEADERS = ['PROTOCOL', 'SCENARIO', 'WORKERS', 'MOCKD', '×1', 'BASELINE', '×1', 'RATIO', 'MOCKD CPU US/OP', 'VS 1 WORKER'];

/** Parses `--workers 1,2,4`: distinct whole numbers from 1 to 64, in the order given. */
export function parseWorkerList(raw: string): number[] | undefined {
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) return undefined;
  return [...new Set(list)];
}

/** Rows of one scenario at each worker count, against the same scenario's row at the first count. */
export function scalingRows(results: BenchResult[]): string[][] {
  const withWorkers = results.filter((r) => r.workers !== undefined && r.mockd && r.baseline);
  const rows: string[][] = [];
  const base = new Map<string, BenchResult>();
  for (const r of withWorkers) {
    const key = `${r.protocol}\u0000${r.scenario}`;
    const first = base.get(key) ?? (base.set(key, r), r);
    const x = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '-');
    const cpu = r.mockd!.cpuUsPerOp;
    const cpu1 = first.mockd!.cpuUsPerOp;
    rows.push([
      r.protocol,
      r.scenario,
      String(r.workers),
      `${r.mockd!.throughput.toLocaleString('en-US')} ${r.unit}`,
      x(r.mockd!.throughput, first.mockd!.throughput),
      `${r.baseline!.throughput.toLocaleString('en-US')} ${r.unit}`,
      x(r.baseline!.throughput, first.baseline!.throughput),
      r.ratio === null ? '-' : r.ratio.toFixed(2),
      cpu === undefined ? '-' : cpu.toFixed(1),
      cpu === undefined || cpu1 === undefined ? '-' : x(cpu, cpu1),
    ]);
  }
  return rows;
}

export function formatScaling(results: BenchResult[]): string {
  const rows = scalingRows(results);
  return rows.length === 0 ? '' : table(SCALING_HEADERS, rows);
}
