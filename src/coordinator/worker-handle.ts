// One protocol worker as the coordinator sees it: spawned, wrapped with Comlink, every call bounded in time.
// A Comlink call to a dead worker never settles, so each call races a timeout and every pending call is rejected
// when the worker exits. An unexpected exit is reported to the coordinator, which restarts the worker.

import type { FaultEvent } from '../contract/faults.ts';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { wrap, releaseProxy, type Remote } from 'comlink';
import { nodeEndpoint } from '../util/node-endpoint.ts';
import { MockdError } from '../errors.ts';
import type { ConnectionEvent, WorkerName } from '../contract/protocols.ts';
import type { JournalEntry } from '../journal/types.ts';
import type { HostOptions, WorkerApi, WorkerInit } from '../contract/worker-api.ts';
import type { PoolCountsInit } from '../contract/caps.ts';
import type { MetricsReply, MetricsRequest } from '../contract/metrics.ts';
import { installErrorTransfer } from '../util/comlink-errors.ts';
import { resolveEntry, spawnWorker } from './spawn.ts';

export const CALL_TIMEOUT_MS = 5000;
export const STARTUP_TIMEOUT_MS = 30_000;

type Methods = { [K in keyof WorkerApi]: WorkerApi[K] extends (...args: infer A) => infer R ? (...a: A) => R : never };

export interface WorkerHandleEvents {
  /** Connection and fault events, batched per tick by the worker. */
  onConnectionEvents(events: (ConnectionEvent | FaultEvent)[]): void;
  onJournalEntries(entries: JournalEntry[]): void;
  onExit(handle: WorkerHandle, code: number): void;
  onError(handle: WorkerHandle, err: Error): void;
  /** The mock port's `/__mockd/metrics` asks for the whole `/metrics` text over the events port (issue 23). */
  onMetricsRequest?(): Promise<string>;
}

export class WorkerHandle {
  #worker?: Worker;
  #remote?: Remote<WorkerApi>;
  #pending = new Set<(err: Error) => void>();
  #stopping = false;
  /** Set by stop(): a handle that was stopped never starts a thread again (a restart racing shutdown). */
  #retired = false;
  state: 'starting' | 'running' | 'stopped' | 'crashed' = 'starting';
  restarts = 0;

  constructor(
    readonly name: WorkerName,
    readonly options: HostOptions,
    readonly events: WorkerHandleEvents,
    readonly journalCounter: SharedArrayBuffer,
    readonly idCounters: SharedArrayBuffer,
    /** This member's place in its pool's counters (absent: the worker counts only its own connections). */
    readonly poolCounts?: PoolCountsInit,
  ) {}

  /** The member's name in its pool (`http-2`), or the kind's name when it is the pool's only member. */
  get label(): string {
    return this.options.worker ?? this.name;
  }

  /** Spawns the worker; resolves once its API answers (its hosts are built and listening). */
  async start(): Promise<void> {
    if (this.#retired) throw new MockdError('worker_unavailable', `${this.name} worker is shutting down`);
    installErrorTransfer();
    this.#stopping = false;
    this.state = 'starting';
    const channel = new MessageChannel();
    channel.port1.on('message', (msg: ConnectionEvent[] | { journal: JournalEntry[] } | MetricsRequest) => {
      if (Array.isArray(msg)) this.events.onConnectionEvents(msg);
      else if ('metricsRequest' in msg) this.#answerMetrics(channel.port1, msg.metricsRequest);
      else this.events.onJournalEntries(msg.journal);
    });
    channel.port1.unref();
    const worker = spawnWorker(resolveEntry(`workers/${this.name}`), {
      workerData: {
        options: this.options,
        events: channel.port2,
        journalCounter: this.journalCounter,
        idCounters: this.idCounters,
        poolCounts: this.poolCounts,
        label: this.label,
      } satisfies WorkerInit,
      transferList: [channel.port2],
      name: `mockd-${this.label}`,
    });
    this.#worker = worker;
    this.#remote = wrap<WorkerApi>(nodeEndpoint(worker));
    const exited = new Promise<never>((_, reject) => {
      worker.once('error', (err) => {
        reject(err);
        if (this.state === 'running') this.events.onError(this, err);
      });
      worker.once('exit', (code) => {
        channel.port1.close();
        this.#rejectPending(new MockdError('worker_unavailable', `${this.label} worker exited`));
        const wasRunning = this.state === 'running';
        this.state = this.#stopping ? 'stopped' : 'crashed';
        reject(new Error(`${this.label} worker exited with code ${code} during startup`));
        if (wasRunning && !this.#stopping) this.events.onExit(this, code);
      });
    });
    exited.catch(() => undefined);
    // protocols() answers only after serveWorker has built every host (it exposes the API last). Loading a worker
    // takes far longer than a control call, especially on a busy machine, so startup has its own bound.
    await Promise.race([this.#call('protocols', [], STARTUP_TIMEOUT_MS), exited]);
    if (this.#retired) {
      // stop() ran while this thread was loading: it must not outlive the shutdown.
      await worker.terminate();
      throw new MockdError('worker_unavailable', `${this.name} worker is shutting down`);
    }
    this.state = 'running';
  }

  get threadId(): number | undefined {
    return this.#worker?.threadId;
  }

  /** Calls a WorkerApi method; rejects with 503 worker_unavailable when the worker is gone or does not answer. */
  call<K extends keyof WorkerApi>(method: K, ...args: Parameters<Methods[K]>): Promise<Awaited<ReturnType<Methods[K]>>> {
    return this.#call(method, args, CALL_TIMEOUT_MS);
  }

  #call<K extends keyof WorkerApi>(method: K, args: unknown[], timeoutMs: number): Promise<Awaited<ReturnType<Methods[K]>>> {
    const remote = this.#remote;
    if (!remote || this.state === 'stopped' || this.state === 'crashed') {
      return Promise.reject(new MockdError('worker_unavailable', `${this.label} worker is not running`));
    }
    return new Promise((resolve, reject) => {
      const fail = (err: Error) => {
        clearTimeout(timer);
        this.#pending.delete(fail);
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new MockdError('worker_unavailable', `${this.label} worker did not answer within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      this.#pending.add(fail);
      ((remote[method] as unknown as (...a: unknown[]) => Promise<unknown>)(...args) as Promise<never>).then(
        (value) => {
          clearTimeout(timer);
          this.#pending.delete(fail);
          resolve(value);
        },
        (err: Error) => fail(err),
      );
    });
  }

  /** Graceful: asks the hosts to say goodbye to their clients, then ends the thread. */
  async stop(): Promise<void> {
    this.#retired = true;
    if (!this.#worker || this.state === 'stopped') return;
    this.#stopping = true;
    try {
      if (this.state === 'running') await this.call('shutdown');
    } catch {
      // A worker that cannot shut down cleanly is terminated below all the same.
    }
    this.#remote?.[releaseProxy]();
    await this.#worker.terminate();
    this.state = 'stopped';
  }

  /** Abrupt: ends the thread without goodbyes (used by tests of supervision and by restart). */
  async terminate(): Promise<void> {
    await this.#worker?.terminate();
  }

  #answerMetrics(port: MessagePort, id: number): void {
    const ask = this.events.onMetricsRequest?.() ?? Promise.reject(new Error('no metrics here'));
    ask.then(
      (text) => port.postMessage({ metricsReply: id, text } satisfies MetricsReply),
      (err: Error) => port.postMessage({ metricsReply: id, error: err.message } satisfies MetricsReply),
    );
  }

  #rejectPending(err: Error): void {
    for (const fail of [...this.#pending]) fail(err);
  }
}
