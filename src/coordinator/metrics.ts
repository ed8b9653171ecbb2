// Gathering the metrics on a scrape (issue 23): one `metrics` call per running worker, through its pool (admin route
// → coordinator → worker pool → worker API), merged into one snapshot, plus what only the coordinator knows (worker
// restarts). A worker that does not answer contributes nothing rather than failing the scrape.

import type { MetricsSnapshot } from '../contract/metrics.ts';
import type { WorkerName } from '../contract/protocols.ts';
import { mergeSnapshots } from '../metrics/merge.ts';
import type { WorkerPool } from './worker-pool.ts';

export interface WorkerMetrics {
  worker: string;
  pool: WorkerName;
  up: boolean;
  restarts: number;
}

export interface GatheredMetrics extends MetricsSnapshot {
  workers: WorkerMetrics[];
  /** Mocks in the store, and how many of them are enabled. */
  mocks: { total: number; enabled: number };
}

export async function gatherMetrics(pools: Iterable<WorkerPool>, mocks: GatheredMetrics['mocks']): Promise<GatheredMetrics> {
  const list = [...pools];
  const parts = await Promise.all(list.map((pool) => pool.metrics()));
  const workers = list.flatMap((pool) =>
    pool.health().map((m) => ({ worker: m.worker, pool: pool.name, up: m.state === 'running', restarts: m.restarts })),
  );
  return { ...mergeSnapshots(parts.flat()), workers, mocks };
}
