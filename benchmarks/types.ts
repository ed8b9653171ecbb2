// The shapes the benchmark passes around and writes out (contract §11): one Measurement per target and round,
// merged into one TargetResult per target and scenario, and one BenchResult row pair per scenario.

import type { RecordableHistogram } from 'node:perf_hooks';

export const PROTOCOLS = ['http', 'sse', 'websocket', 'mqtt', 'grpc', 'scale', 'https', 'metrics'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface BenchOptions {
  protocols: Protocol[];
  durationS: number;
  warmupS: number;
  connections: number;
  /** Idle WebSocket connections for the `scale` target (10,000 by default). */
  scaleConnections: number;
  /** Where latest.json and latest.md go. */
  outDir: string;
  /** `auto` uses wrk / h2load when installed; `node` always uses the worker-thread generators. */
  generator: 'auto' | 'node';
  /** Interleaved mockd/baseline rounds per scenario. */
  rounds: number;
  /** Extra `mockd start` flags for the mockd under test (e.g. `--journal-size 0`, to see what the journal costs). */
  mockdArgs: string[];
  /** `--workers 1,2,4`: run the http and grpc targets once per count, beside N-thread baselines (scaling.ts). Unset:
   * one worker, against a one-thread baseline. */
  workers?: number[];
}

/** What one load run against one target measured. Latencies are in nanoseconds in `histogram`. */
export interface Measurement {
  ops: number;
  errors: number;
  seconds: number;
  histogram: RecordableHistogram;
  /** CPU seconds the target process used during the measured window (all its threads). */
  cpuSeconds?: number;
  /** Mean event-loop utilisation of the generator threads (1 = saturated); absent for external tools. */
  generatorLoad?: number;
  /** Node generators: every operation completed, warm-up and drain included. */
  totalOps?: number;
  /** What the target's GET /metrics counted for the same run (mockd only, where the scenario reads one). */
  served?: number;
}

export interface TargetResult {
  /** Operations per second; for scale rows, the row's value in its unit (KB per connection, ms). */
  throughput: number;
  /** null where a scale row has no latency spread (memory per connection). */
  p50Ms: number | null;
  p99Ms: number | null;
  errors: number;
  /** Extra fields beyond the contract: how busy the target process was, and what one operation cost it. */
  cpuCores?: number;
  cpuUsPerOp?: number;
  /** mockd rows of the Node generators: the operations the generator completed over the whole run (warm-up
   * included) and what mockd's own metrics counted for them; the two are equal (issue 23). */
  counted?: { generator: number; metrics: number };
}

export interface BaselineResult extends TargetResult {
  library: string;
}

export interface BenchResult {
  protocol: Protocol;
  scenario: string;
  unit: string;
  /** null when the scenario was skipped (see `note`). */
  mockd: TargetResult | null;
  baseline: BaselineResult | null;
  /** mockd over baseline throughput, 2 decimals; null when either side is missing. */
  ratio: number | null;
  /** Which load generator ran, e.g. `wrk 4.1.0 (2 threads)` or `node (2 threads)`. */
  generator: string;
  /** For scale rows the value is a cost (lower is better); for the rest, throughput (higher is better). */
  lowerIsBetter?: boolean;
  /** Mean event-loop utilisation of the Node generator threads (mockd rounds, baseline rounds). */
  generatorLoad?: { mockd: number; baseline: number };
  note?: string;
  /** With `--workers`: the mockd workers per pool and the baseline's threads for this row. */
  workers?: number;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  platform: string;
  fileDescriptorLimit?: string;
  /** 1-minute load average when the run started and ended: other work on the machine skews both sides. */
  loadAverage: { start: number; end: number };
}

export interface BenchReport {
  timestamp: string;
  node: string;
  cpus: number;
  durationS: number;
  warmupS: number;
  connections: number;
  rounds: number;
  /** How the mockd under test was started. */
  mockdCommand: string;
  /** The worker counts of a `--workers` run. */
  workers?: number[];
  machine: MachineInfo;
  results: BenchResult[];
  /** Targets that failed to start or scenarios that could not run; any entry makes the exit code 1. */
  failures: string[];
}
