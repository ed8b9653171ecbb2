// wrk as the HTTP load generator. wrk keeps an exact latency histogram but its Lua API only exposes percentiles, so
// a `done()` hook prints the summary and a ladder of percentiles; the ladder is turned back into a histogram so wrk
// rounds merge with each other like the Node generator's do (to within 0.1 percentile rank).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MeasureWindow } from '../load/pool.ts';
import type { Measurement } from '../types.ts';
import { histogramFromQuantiles } from './quantiles.ts';
import { runTool } from './tools.ts';

const DONE_SCRIPT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("MOCKD_SUMMARY %d %d %d %d %d %d %d\\n", summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout))
  for p = 1, 99 do io.write(string.format("MOCKD_Q %g %d\\n", p, latency:percentile(p))) end
  for p = 99.1, 99.95, 0.1 do io.write(string.format("MOCKD_Q %g %d\\n", p, latency:percentile(p))) end
  io.write(string.format("MOCKD_Q 100 %d\\n", latency.max))
end
`;

export interface WrkRun {
  url: string;
  threads: number;
  connections: number;
}

/** What the done() hook printed: requests, errors, seconds and latency quantiles in microseconds. */
export function parseWrkOutput(stdout: string): { requests: number; errors: number; seconds: number; quantiles: [number, number][] } {
  const summary = /MOCKD_SUMMARY (\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(stdout);
  if (!summary) throw new Error(`wrk printed no summary: ${stdout.slice(0, 500)}`);
  const [requests, durationUs, ...errors] = summary.slice(1).map(Number) as [number, number, ...number[]];
  const quantiles = [...stdout.matchAll(/MOCKD_Q ([\d.]+) (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);
  return { requests, errors: errors.reduce((a, b) => a + b, 0), seconds: durationUs / 1e6, quantiles };
}

export async function runWrk(run: WrkRun, window: MeasureWindow): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'mockd-bench-wrk-'));
  try {
    const script = join(dir, 'done.lua');
    writeFileSync(script, DONE_SCRIPT);
    const base = ['-t', String(Math.min(run.threads, run.connections)), '-c', String(run.connections), '--timeout', '5s'];
    if (window.warmupMs > 0) await runTool('wrk', [...base, '-d', `${Math.max(1, Math.round(window.warmupMs / 1000))}s`, run.url], window.warmupMs + 15_000);
    const seconds = Math.max(1, Math.round(window.durationMs / 1000));
    const result = await runTool('wrk', [...base, '-d', `${seconds}s`, '-s', script, run.url], seconds * 1000 + 15_000, window.onMeasure);
    window.onStop?.();
    const parsed = parseWrkOutput(result.stdout);
    const histogram = histogramFromQuantiles(parsed.quantiles, parsed.requests, 1000);
    return { ops: parsed.requests, errors: parsed.errors, seconds: parsed.seconds, histogram };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
