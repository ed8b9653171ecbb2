// The benchmark run behind `mockd bench` and `npm run bench` (contract §11): each selected protocol in turn, each
// with its own fresh mockd and baseline processes, then the report. Resolves with the report and the exit code:
// 0 when every target ran, 1 when one failed to start, a scenario could not run, or over 1 % of operations failed.

import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { LoadPool } from './load/pool.ts';
import { Progress } from './progress.ts';
import { describeMachine, writeReport } from './report.ts';
import { round2, skippedRow, type BenchContext } from './scenario.ts';
import { benchGrpc } from './scenarios/grpc.ts';
import { benchHttp } from './scenarios/http.ts';
import { benchHttps } from './scenarios/https.ts';
import { benchMqtt } from './scenarios/mqtt.ts';
import { benchScale } from './scenarios/scale.ts';
import { benchSse } from './scenarios/sse.ts';
import { benchWebSocket } from './scenarios/websocket.ts';
import { benchMetrics } from './scenarios/metrics.ts';
import { launcherFdLimit, ROOT } from './targets.ts';
import { SCALING_PROTOCOLS } from './scaling.ts';
import { canSharePort } from '../src/coordinator/worker-count.ts';
import type { BenchOptions, BenchReport, BenchResult, Protocol } from './types.ts';

export { formatTable } from './report.ts';
export { formatScaling, parseWorkerList } from './scaling.ts';

export const DEFAULT_OUT_DIR = join(ROOT, 'benchmarks', 'results');

const BENCHES: Record<Protocol, (ctx: BenchContext) => Promise<BenchResult[]>> = {
  http: benchHttp,
  sse: benchSse,
  websocket: benchWebSocket,
  mqtt: benchMqtt,
  grpc: benchGrpc,
  scale: benchScale,
  https: benchHttps,
  metrics: benchMetrics,
};

export interface BenchOutcome {
  report: BenchReport;
  exitCode: 0 | 1;
  files: string[];
}

export async function runBench(options: BenchOptions, progress = new Progress()): Promise<BenchOutcome> {
  const pool = new LoadPool();
  const ctx: BenchContext = { options, pool, progress, failures: [] };
  const results: BenchResult[] = [];
  const startedAt = new Date();
  const loadAtStart = loadavg()[0]!;
  try {
    for (const protocol of options.protocols) {
      // Without --workers every target runs one mockd worker against a one-thread baseline, as it always did.
      const counts = options.workers && (SCALING_PROTOCOLS as readonly string[]).includes(protocol) ? options.workers : [undefined];
      for (const workers of counts) {
        if (workers !== undefined && workers > 1 && !canSharePort()) {
          const note = `skipped: Node ${process.versions.node} on ${process.platform} cannot share a port (reusePort needs Node >= 22.12 on Linux)`;
          progress.line(`${protocol} [${workers} workers]: ${note}`);
          results.push({ ...skippedRow(protocol, 'every scenario', '-', '-', note), workers });
          continue;
        }
        const pass: BenchContext = {
          ...ctx,
          options: { ...options, mockdArgs: [...options.mockdArgs, '--workers', String(workers ?? 1)] },
          baselineArgs: ['--threads', String(workers ?? 1)],
        };
        const rows = await BENCHES[protocol](pass).catch((err: Error) => {
          ctx.failures.push(`${protocol}: ${err.message}`);
          return [];
        });
        for (const row of rows) {
          if (workers !== undefined) {
            row.workers = workers;
            if (row.baseline && workers > 1) row.baseline.library += ` ×${workers} threads`;
          }
          progress.line(summaryLine(row));
        }
        results.push(...rows);
      }
    }
  } finally {
    await pool.close();
    progress.end();
  }
  const report: BenchReport = {
    timestamp: startedAt.toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    durationS: options.durationS,
    warmupS: options.warmupS,
    connections: options.connections,
    rounds: options.rounds,
    mockdCommand: ['mockd start --port 0 --admin-port 0 --no-persist', ...options.mockdArgs, options.workers ? '--workers N' : '--workers 1'].join(' '),
    ...(options.workers ? { workers: options.workers } : {}),
    machine: describeMachine(launcherFdLimit(), { start: round2(loadAtStart), end: round2(loadavg()[0]!) }),
    results,
    failures: ctx.failures,
  };
  const files = writeReport(report, options.outDir);
  return { report, exitCode: ctx.failures.length > 0 ? 1 : 0, files };
}

function summaryLine(r: BenchResult): string {
  if (!r.mockd || !r.baseline) return `${r.protocol}  ${r.scenario}: ${r.note ?? 'skipped'}`;
  const n = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const at = r.workers === undefined ? '' : ` [${r.workers} worker${r.workers === 1 ? '' : 's'}]`;
  return `${r.protocol}  ${r.scenario}${at}: mockd ${n(r.mockd.throughput)} ${r.unit}, ${r.baseline.library} ${n(r.baseline.throughput)} ${r.unit}, ratio ${r.ratio?.toFixed(2) ?? '-'}`;
}
