// The Node load generator: one worker thread per core (at least two), kept for the whole run, each driving its
// share of the connections closed-loop. The main thread only paces the phases (start, measure, stop) so the target's
// CPU can be sampled at the same instants, then merges the threads' counts and histograms.

import { availableParallelism } from 'node:os';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../src/coordinator/spawn.ts';
import type { Measurement } from '../types.ts';
import type { GeneratorKind, PoolMessage, WorkerReply } from './worker.ts';

const WORKER_ENTRY = fileURLToPath(new URL('./worker.ts', import.meta.url));
const PHASE_TIMEOUT_MS = 30_000;

/** When to begin and end measuring, and what to do at those instants (sample the target's CPU). */
export interface MeasureWindow {
  warmupMs: number;
  durationMs: number;
  onMeasure?(): void;
  onStop?(): void;
}

export function generatorThreads(): number {
  return Math.max(2, availableParallelism());
}

export class LoadPool {
  readonly #workers: (Worker | undefined)[] = [];

  constructor(readonly threads = generatorThreads()) {}

  #worker(i: number): Worker {
    let worker = this.#workers[i];
    if (!worker) {
      const started = (worker = spawnWorker(WORKER_ENTRY, {}));
      started.unref();
      // A thread that died (an uncaught error in a generator) is replaced on the next run.
      started.once('exit', () => {
        if (this.#workers[i] === started) this.#workers[i] = undefined;
      });
      this.#workers[i] = started;
    }
    return worker;
  }

  /** Runs `kind` against a target with `connections` spread over the threads, measuring for `window.durationMs`. */
  async run(kind: GeneratorKind, config: unknown, connections: number, window: MeasureWindow): Promise<Measurement> {
    const used = Math.max(1, Math.min(this.threads, connections));
    const workers = Array.from({ length: used }, (_, i) => this.#worker(i));
    const send = (message: PoolMessage) => workers.forEach((w) => w.postMessage(message));
    try {
      await Promise.all(
        workers.map((w, index) => {
          const share = { index, threads: used, connections: Math.floor(connections / used) + (index < connections % used ? 1 : 0) };
          w.postMessage({ type: 'open', kind, config, share } satisfies PoolMessage);
          return nextReply(w, 'ready');
        }),
      );
    } catch (err) {
      await this.#stopAll(workers);
      throw err;
    }
    send({ type: 'start' });
    await sleep(window.warmupMs);
    send({ type: 'measure' });
    window.onMeasure?.();
    await sleep(window.durationMs);
    window.onStop?.();
    const replies = workers.map((w) => nextReply(w, 'result'));
    send({ type: 'stop' });
    const results = await Promise.all(replies);
    return merge(results);
  }

  /** After a failed open: stop whichever threads did open, and wait for them to let go of their connections. */
  async #stopAll(workers: Worker[]): Promise<void> {
    await Promise.all(
      workers.map((w) => {
        const done = nextReply(w, 'result').catch(() => undefined);
        w.postMessage({ type: 'stop' } satisfies PoolMessage);
        return done;
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w?.terminate()));
    this.#workers.length = 0;
  }
}

type Result = Extract<WorkerReply, { type: 'result' }>;

function nextReply(worker: Worker, type: 'ready'): Promise<void>;
function nextReply(worker: Worker, type: 'result'): Promise<Result>;
function nextReply(worker: Worker, type: 'ready' | 'result'): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`load generator thread gave no ${type} within ${PHASE_TIMEOUT_MS / 1000} s`)), PHASE_TIMEOUT_MS);
    const onMessage = (reply: WorkerReply) => {
      if (reply.type === 'failed') finish(new Error(`load generator: ${reply.message}`));
      else if (reply.type === type) finish(undefined, reply);
    };
    const onError = (err: Error) => finish(err);
    const onExit = (code: number) => finish(new Error(`load generator thread exited with ${code}`));
    function finish(err?: Error, value?: unknown) {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (err) reject(err);
      else resolve(value);
    }
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

function merge(results: Result[]): Measurement {
  const histogram = createHistogram();
  let ops = 0;
  let errors = 0;
  let rate = 0;
  for (const r of results) {
    histogram.add(r.histogram as RecordableHistogram);
    ops += r.ops;
    errors += r.errors;
    rate += r.seconds > 0 ? r.ops / r.seconds : 0;
  }
  // Threads measure over nearly the same window; dividing total ops by the summed rate gives the common duration.
  const seconds = rate > 0 ? ops / rate : Math.max(...results.map((r) => r.seconds));
  const generatorLoad = results.reduce((sum, r) => sum + r.elu, 0) / results.length;
  const totalOps = results.reduce((sum, r) => sum + r.total, 0);
  return { ops, errors, seconds, histogram, generatorLoad, totalOps };
}
