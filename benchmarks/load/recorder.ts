// Per-thread bookkeeping of a load generator: operations, failures and latencies count only between begin() and
// end(), so connection setup and the warm-up never reach the figures. Latencies go into a perf_hooks histogram in
// nanoseconds; histograms are cloneable, so the pool merges them exactly across threads and rounds.

import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';

export class Recorder {
  #measuring = false;
  #startedAt = 0;
  #endedAt = 0;
  ops = 0;
  errors = 0;
  /** Every completed operation since the load opened, warm-up and drain included: what the target's own counters
   * (GET /metrics) must show for the same run. */
  total = 0;
  readonly histogram: RecordableHistogram = createHistogram();

  get measuring(): boolean {
    return this.#measuring;
  }

  begin(): void {
    this.ops = 0;
    this.errors = 0;
    this.histogram.reset();
    this.#startedAt = performance.now();
    this.#measuring = true;
  }

  end(): void {
    this.#endedAt = performance.now();
    this.#measuring = false;
  }

  /** Seconds between begin() and end(). */
  get seconds(): number {
    return (this.#endedAt - this.#startedAt) / 1000;
  }

  /** Counts `n` completed operations (SSE events, streamed messages) without a latency. */
  count(n = 1): void {
    this.total += n;
    if (this.#measuring) this.ops += n;
  }

  /** Records one latency that started at `startedAt` (performance.now() ms). */
  latencySince(startedAt: number): void {
    if (this.#measuring) this.histogram.record(Math.max(1, Math.round((performance.now() - startedAt) * 1e6)));
  }

  /** One completed operation with its latency. */
  done(startedAt: number): void {
    this.total++;
    if (!this.#measuring) return;
    this.ops++;
    this.histogram.record(Math.max(1, Math.round((performance.now() - startedAt) * 1e6)));
  }

  error(n = 1): void {
    if (this.#measuring) this.errors += n;
  }
}

/** This thread's part of the load. */
export interface Share {
  index: number;
  threads: number;
  /** Connections (or streams, or publishers) this thread drives. */
  connections: number;
}

/** A generator's open connections, driven closed-loop between start() and stop(). */
export interface Load {
  start(): void;
  /** Stops issuing work and closes every connection. */
  stop(): Promise<void>;
}

export type OpenLoad<C> = (config: C, share: Share, rec: Recorder) => Promise<Load>;
