// The response-script pool of the http worker (contract §3.4): scripts run in piscina threads, never on the listener's
// thread, so the mock port keeps answering while a script runs or spins. Started when the first scripted mock is
// registered, so a mockd without scripts starts no thread for them.

import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { SandboxOutcome } from './script-sandbox.d.mts';
import type { ScriptTask } from './script-task.d.mts';
import { metrics } from '../../../metrics/collector.ts';

/** What the responder gets back: the script's result, its error message, or a timeout. */
export type ScriptOutcome = Exclude<SandboxOutcome, { kind: 'pending' }>;

export interface ScriptJob {
  mockId: string;
  source: string;
  /** The §3.4 request object, as JSON text. */
  input: string;
  timeoutMs: number;
}

// A thread is killed only when its script outlives the vm timeout inside it by this much, which takes something the
// vm watchdog cannot interrupt. Killing costs a thread start, so the in-thread timeout gets the first chance.
const KILL_GRACE_MS = 100;

// Enough threads that a few spinning scripts leave others free, whatever the CPU count: a spinning thread is freed by
// its timeout, and a script's wait for a thread counts against its own timeout. Two stay up once the pool has started,
// so a script arriving while another spins finds a thread without waiting for one to start.
const MIN_THREADS = 2;
const MAX_THREADS = 4;

const TASK_FILE = fileURLToPath(new URL('./script-task.mjs', import.meta.url));

export interface ScriptPoolOptions {
  minThreads?: number;
  maxThreads?: number;
  /** Another task file with the same contract as script-task.mjs (tests use one that cannot be interrupted). */
  filename?: string;
}

export class HttpScriptPool {
  #pool: Piscina | undefined;
  #closed = false;
  /** Scripts asked for and not answered yet (queued or running), and those answered with a timeout, for metrics. */
  #pending = 0;
  #timeouts = 0;

  constructor(private readonly options: ScriptPoolOptions = {}) {
    metrics.useScriptStats(() => {
      const queued = this.#pool?.queueSize ?? 0;
      return { queued, running: Math.max(0, this.#pending - queued), timeouts: this.#timeouts };
    });
  }

  /** Starts the threads ahead of the first script, so that request does not pay for it (a no-op once started). */
  warm(): void {
    if (!this.#closed) this.#pool ??= this.#start();
  }

  /** Threads alive now (0 before the first script). */
  get threadCount(): number {
    return this.#pool?.threads.length ?? 0;
  }

  /**
   * Runs one script. Resolves, never rejects: at `timeoutMs` after the call with a timeout, whatever the script is
   * doing (a busy loop, a promise that never settles, a wait in the queue for a free thread).
   */
  async run(job: ScriptJob): Promise<ScriptOutcome> {
    if (this.#closed) return { kind: 'error', message: 'server is shutting down' };
    this.#pending++;
    try {
      const outcome = await this.#run(job);
      if (outcome.kind === 'timeout') this.#timeouts++;
      return outcome;
    } finally {
      this.#pending--;
    }
  }

  async #run(job: ScriptJob): Promise<ScriptOutcome> {
    const pool = (this.#pool ??= this.#start());
    const task: ScriptTask = { key: job.mockId, source: job.source, input: job.input, deadline: Date.now() + job.timeoutMs };
    // Aborting a running piscina task terminates its thread and starts a replacement (piscina _removeWorker +
    // _ensureMinimumWorkers); a queued one is just dropped.
    const kill = new AbortController();
    const killTimer = setTimeout(() => kill.abort(), job.timeoutMs + KILL_GRACE_MS);
    const ran = pool
      .run(task, { signal: kill.signal })
      .then(
        (outcome: SandboxOutcome) => outcome,
        (err: unknown): SandboxOutcome =>
          kill.signal.aborted ? { kind: 'timeout' } : { kind: 'error', message: threadFailure(err) },
      )
      .finally(() => clearTimeout(killTimer));
    let expiryTimer: NodeJS.Timeout | undefined;
    const expired = new Promise<ScriptOutcome>((resolve) => {
      expiryTimer = setTimeout(() => resolve({ kind: 'timeout' }), job.timeoutMs);
    });
    const first = await Promise.race([ran, expired]);
    // A script whose promise can never settle has left its thread already; its answer is still due at the timeout.
    if (first.kind === 'pending') return expired;
    clearTimeout(expiryTimer);
    return first;
  }

  /** Terminates every pool thread; scripts still running end with an error. */
  async destroy(): Promise<void> {
    this.#closed = true;
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.destroy();
  }

  #start(): Piscina {
    return new Piscina({
      filename: this.options.filename ?? TASK_FILE,
      minThreads: this.options.minThreads ?? MIN_THREADS,
      maxThreads: this.options.maxThreads ?? MAX_THREADS,
      // One script per thread: killing a thread for a runaway script must not take other requests with it.
      concurrentTasksPerWorker: 1,
      idleTimeout: 30_000,
      // The task file is plain JavaScript: skip the parent's `--import tsx` and start threads fast.
      execArgv: [],
      // A script that allocates without bound kills only its own thread (ERR_WORKER_OUT_OF_MEMORY → script_error).
      resourceLimits: { maxOldGenerationSizeMb: 128 },
    });
  }
}

function threadFailure(err: unknown): string {
  const e = err as { code?: string; message?: string } | undefined;
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY') return 'script ran out of memory';
  return e?.message ?? String(err);
}
