// h2load (nghttp2-client) as the load generator for gRPC unary calls (h2c with a fixed, length-prefixed protobuf
// body) and as the HTTP/1.1 generator when wrk is missing. Its per-request log gives exact latencies of the measured
// phase (the warm-up is not logged). h2load cannot read gRPC trailers, so a grpc-status error would pass as a
// success; the grpc scenario checks a real call against each target before it loads it.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHistogram } from 'node:perf_hooks';
import type { MeasureWindow } from '../load/pool.ts';
import type { Measurement } from '../types.ts';
import { runTool } from './tools.ts';

export interface H2loadRun {
  url: string;
  threads: number;
  /** TCP connections (h2load's clients). */
  clients: number;
  /** Streams in flight per connection (HTTP/2 only; HTTP/1.1 runs use 1). */
  streams: number;
  http1?: boolean;
  /** A POST body and extra headers (gRPC). */
  body?: Buffer;
  headers?: string[];
}

/** Errors from the summary lines: failed requests plus 4xx and 5xx answers. */
export function parseH2loadErrors(stdout: string): number {
  const requests = /requests: \d+ total, \d+ started, \d+ done, \d+ succeeded, (\d+) failed/.exec(stdout);
  const codes = /status codes: \d+ 2xx, \d+ 3xx, (\d+) 4xx, (\d+) 5xx/.exec(stdout);
  if (!requests || !codes) throw new Error(`h2load printed no summary: ${stdout.slice(-500)}`);
  return Number(requests[1]) + Number(codes[1]) + Number(codes[2]);
}

/** Completed requests and their latencies (ns) from the log's `start-µs  status  duration-µs` rows (-1 = failed). */
export function parseH2loadLog(log: string): { completed: number; latenciesNs: number[] } {
  const latenciesNs: number[] = [];
  for (const line of log.split('\n')) {
    const [, status, micros] = line.split('\t');
    if (micros === undefined || status === '-1') continue;
    latenciesNs.push(Math.max(1, Number(micros) * 1000));
  }
  return { completed: latenciesNs.length, latenciesNs };
}

export async function runH2load(run: H2loadRun, window: MeasureWindow): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'mockd-bench-h2load-'));
  try {
    const log = join(dir, 'requests.log');
    const seconds = Math.max(1, Math.round(window.durationMs / 1000));
    const args = ['-t', String(Math.min(run.threads, run.clients)), '-c', String(run.clients), '-D', String(seconds), '--log-file', log];
    if (window.warmupMs > 0) args.push('--warm-up-time', `${Math.max(1, Math.round(window.warmupMs / 1000))}`);
    if (run.http1) args.push('--h1');
    else args.push('-m', String(run.streams));
    if (run.body) {
      const bodyFile = join(dir, 'body.bin');
      writeFileSync(bodyFile, run.body);
      args.push('-d', bodyFile);
    }
    for (const header of run.headers ?? []) args.push('-H', header);
    args.push(run.url);
    const warmupMs = window.warmupMs > 0 ? Math.max(1, Math.round(window.warmupMs / 1000)) * 1000 : 0;
    let measureTimer: NodeJS.Timeout | undefined;
    const result = await runTool('h2load', args, warmupMs + seconds * 1000 + 20_000, () => {
      measureTimer = setTimeout(() => window.onMeasure?.(), warmupMs);
    });
    clearTimeout(measureTimer);
    window.onStop?.();
    const errors = parseH2loadErrors(result.stdout);
    const { completed, latenciesNs } = parseH2loadLog(readFileSync(log, 'utf8'));
    const histogram = createHistogram();
    for (const ns of latenciesNs) histogram.record(ns);
    return { ops: completed, errors, seconds, histogram };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
