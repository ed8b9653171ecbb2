// The coordinator: owns the workers, the mock store and its persistence, and is the one path from the admin API to
// the workers (admin route → coordinator → worker API → ConnectionManager).

import { MockdError, notFound } from '../errors.ts';
import type { Mock, MockType } from '../mocks/types.ts';
import { MockStore } from '../mocks/store.ts';
import { MockFile } from '../mocks/persistence.ts';
import { loadConfigFile, loadImports, type StartupImport } from '../mocks/loader.ts';
import { ID_COUNTER_BYTES, type CloseReason, type ConnectionRecord, type ConnectionStats, type Protocol } from '../protocols/connections.ts';
import type { HostOptions, ListenerInfo, MockRuntime, WorkerName } from '../protocols/host.ts';
import { EventBus } from './event-bus.ts';
import { WorkerHandle } from './worker-handle.ts';
import { WORKER_SPECS, workerForProtocol, workerForType } from './workers.ts';
import { MockChanges } from './mock-changes.ts';
import { JournalView } from './journal.ts';

export interface CoordinatorOptions {
  host: string;
  port: number;
  configPath?: string;
  /** Contract files imported at startup (`mockd start --import`); their mocks replace stored ones with the same id. */
  imports?: StartupImport[];
  dataDir?: string;
  persist: boolean;
  maxSseStreams: number;
  /** Per-protocol cap on live connections (0 = unlimited), see HostOptions.maxConnections. */
  maxConnections?: number;
  journalSize: number;
  logLevel: HostOptions['logLevel'];
  baseDir: string;
  headersTimeoutMs?: number;
}

export type Logger = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export class Coordinator {
  readonly store = new MockStore();
  readonly bus = new EventBus();
  readonly workers = new Map<WorkerName, WorkerHandle>();
  /** Runtime state per mock id, as its worker last reported it. */
  readonly runtimes = new Map<string, MockRuntime>();
  /** How many times each mock has been registered with its worker (`version` in `/handlers`). */
  readonly versions = new Map<string, number>();
  readonly changes: MockChanges;
  readonly journal: JournalView;
  readonly startedAt = Date.now();
  /** Connection id counters shared by all workers, so ids are never reused, even across worker restarts. */
  readonly idCounters = new SharedArrayBuffer(ID_COUNTER_BYTES);
  adminPort = 0;
  ready = false;
  #file?: MockFile;
  #closing = false;

  constructor(
    readonly options: CoordinatorOptions,
    readonly log: Logger,
  ) {
    this.changes = new MockChanges(this);
    this.journal = new JournalView(this);
  }

  /** Starts every worker, loads the initial mocks and registers the enabled ones. Rejects on a fatal error. */
  async start(): Promise<void> {
    const initial = await this.#loadInitialMocks();
    const hostOptions: HostOptions = {
      host: this.options.host,
      baseDir: this.options.baseDir,
      port: this.options.port,
      maxSseStreams: this.options.maxSseStreams,
      maxConnections: this.options.maxConnections,
      journalSize: this.options.journalSize,
      logLevel: this.options.logLevel,
      headersTimeoutMs: this.options.headersTimeoutMs,
    };
    await Promise.all(
      WORKER_SPECS.map(async (spec) => {
        const handle = new WorkerHandle(spec.name, hostOptions, {
          onConnectionEvents: (events) => events.forEach((e) => this.bus.emit(e)),
          onJournalEntries: (entries) => this.journal.onEntries(entries),
          onExit: (h, code) => void this.#restart(h, `exited with code ${code}`),
          onError: (h, err) => this.log('error', `${h.name} worker error: ${err.stack ?? err.message}`),
        }, this.journal.counter, this.idCounters);
        this.workers.set(spec.name, handle);
        await handle.start();
      }),
    );
    // A restarted http worker must come back on the same mock port, not on a fresh port 0.
    const http = this.workers.get('http');
    if (http) http.options.port = await this.mockPort();
    for (const mock of initial) {
      this.store.set(mock);
      if (mock.enabled) await this.registerAtStartup(mock);
    }
    await this.#pushEnabledCount();
    this.ready = true;
  }

  async #loadInitialMocks(): Promise<Mock[]> {
    const loaded = await this.#loadStoredOrConfigMocks();
    if (!this.options.imports?.length) return loaded;
    const now = new Date().toISOString();
    const byId = new Map(loaded.map((m) => [m.id, m]));
    for (const input of await loadImports(this.options.imports, '--import', (w) => this.log('warn', w))) {
      const mock = this.changes.materialize(input, now, byId.get(input.id ?? ''));
      byId.set(mock.id, mock);
    }
    return [...byId.values()];
  }

  async #loadStoredOrConfigMocks(): Promise<Mock[]> {
    const now = new Date().toISOString();
    if (this.options.configPath) {
      const inputs = await loadConfigFile(this.options.configPath, (w) => this.log('warn', w));
      const seen = new Set<string>();
      return inputs.map((input) => {
        const mock = this.changes.materialize(input, now);
        if (seen.has(mock.id)) throw new MockdError('duplicate_id', `config error in ${this.options.configPath}: duplicate id ${mock.id}`);
        seen.add(mock.id);
        return mock;
      });
    }
    if (this.options.persist && this.options.dataDir) {
      this.#file = new MockFile(this.options.dataDir);
      await this.#file.prepare();
      return this.#file.load();
    }
    return [];
  }

  /** A mock loaded at startup that cannot bind stays stored and shows `status: error` (contract §1). */
  async registerAtStartup(mock: Mock): Promise<void> {
    try {
      await this.apply(mock);
    } catch (err) {
      const e = err as Error;
      this.log('warn', `mock ${mock.id} could not start: ${e.message}`);
      this.runtimes.set(mock.id, { mockId: mock.id, kind: mock.type === 'http' ? 'sse' : (mock.type as 'mqtt'), status: 'error', error: e.message });
    }
  }

  worker(name: WorkerName): WorkerHandle {
    const handle = this.workers.get(name);
    if (!handle) throw new MockdError('worker_unavailable', `the ${name} worker is not available`);
    return handle;
  }

  workerOf(type: MockType): WorkerHandle {
    return this.worker(workerForType(type));
  }

  /** Registers a mock with its worker and records its runtime and version. */
  async apply(mock: Mock): Promise<MockRuntime> {
    const runtime = await this.workerOf(mock.type).call('apply', mock);
    this.runtimes.set(mock.id, runtime);
    this.versions.set(mock.id, (this.versions.get(mock.id) ?? 0) + 1);
    return runtime;
  }

  async unregister(mock: Mock): Promise<void> {
    this.runtimes.delete(mock.id);
    await this.workerOf(mock.type).call('remove', mock.id);
  }

  /** After a change: saves the store when persistence is on (resolves once the file is replaced) and tells the
   * http worker the enabled count for `/__mockd/ready`. */
  async commit(): Promise<void> {
    await this.#file?.save(this.store.all());
    await this.#pushEnabledCount();
  }

  async #pushEnabledCount(): Promise<void> {
    const n = this.store.list({ enabled: true }).length;
    await this.workers.get('http')?.call('invoke', 'setEnabledCount', [n]);
  }

  /** The port a running MQTT/gRPC mock is bound to, by mock id. */
  assignedPorts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [id, rt] of this.runtimes) if (rt.port !== undefined && (rt.kind === 'mqtt' || rt.kind === 'grpc')) out.set(id, rt.port);
    return out;
  }

  /** The mock as the API shows it: a port-0 MQTT/gRPC mock reports the port it was given. */
  view(mock: Mock): Mock {
    const port = this.runtimes.get(mock.id)?.port;
    if (port === undefined) return mock;
    if (mock.type === 'mqtt' && mock.mqtt && mock.mqtt.port === 0) return { ...mock, mqtt: { ...mock.mqtt, port } };
    if (mock.type === 'grpc' && mock.grpc && mock.grpc.port === 0) return { ...mock, grpc: { ...mock.grpc, port } };
    return mock;
  }

  // ---- connections: one path for every protocol ----

  listConnections(protocol: Protocol, mockId?: string): Promise<ConnectionRecord[]> {
    return this.worker(workerForProtocol(protocol)).call('listConnections', protocol, mockId);
  }

  getConnection(protocol: Protocol, id: string): Promise<ConnectionRecord | undefined> {
    return this.worker(workerForProtocol(protocol)).call('getConnection', protocol, id);
  }

  closeConnection(protocol: Protocol, id: string, reason: CloseReason = 'admin'): Promise<boolean> {
    return this.worker(workerForProtocol(protocol)).call('closeConnection', protocol, id, reason);
  }

  closeConnectionsOfMock(protocol: Protocol, mockId: string, reason: CloseReason = 'admin'): Promise<number> {
    return this.worker(workerForProtocol(protocol)).call('closeConnectionsOfMock', protocol, mockId, reason);
  }

  connectionStats(protocol: Protocol): Promise<ConnectionStats> {
    return this.worker(workerForProtocol(protocol)).call('stats', protocol);
  }

  hasProtocol(protocol: Protocol): boolean {
    return this.workers.has(workerForProtocol(protocol));
  }

  invoke(worker: WorkerName, verb: string, ...args: unknown[]): Promise<unknown> {
    return this.worker(worker).call('invoke', verb, args);
  }

  requireMock(id: string): Mock {
    const mock = this.store.get(id);
    if (!mock) throw notFound();
    return mock;
  }

  async listeners(): Promise<ListenerInfo[]> {
    const lists = await Promise.all([...this.workers.values()].map((w) => w.call('listeners')));
    return lists.flat();
  }

  /** The mock port the http worker is bound to. */
  async mockPort(): Promise<number> {
    const http = (await this.worker('http').call('listeners')).find((l) => l.component === 'mock-server');
    return http?.port ?? this.options.port;
  }

  /** Supervision: a worker that died is started again and its enabled mocks are registered again. */
  async #restart(handle: WorkerHandle, why: string): Promise<void> {
    if (this.#closing) return;
    this.log('error', `${handle.name} worker ${why}; restarting`);
    handle.restarts++;
    // A port-0 mock keeps the port it was given for the life of the process (contract §1): the new worker has no
    // memory of it, so the mock is registered again with that port spelled out.
    const mine = this.store.all().filter((m) => workerForType(m.type) === handle.name);
    const withPorts = mine.map((m) => this.view(m));
    for (const mock of mine) this.runtimes.delete(mock.id);
    try {
      // The dead thread's listening sockets are released asynchronously, so binding the same ports can fail for a
      // moment: retry with a short backoff rather than give up.
      await withRetries(() => handle.start());
      for (const mock of withPorts) {
        if (!mock.enabled) continue;
        await withRetries(() => this.apply(mock)).catch(() => this.registerAtStartup(mock));
      }
      if (handle.name === 'http') await this.#pushEnabledCount();
      await this.journal.restoreStreaming();
      this.bus.emit({ type: 'worker.restarted', worker: handle.name, restarts: handle.restarts });
    } catch (err) {
      this.log('error', `${handle.name} worker failed to restart: ${(err as Error).message}`);
    }
  }

  /** Graceful shutdown: every worker says goodbye to its clients, then stops. */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
  }
}

/** Runs `fn` until it succeeds, up to `attempts` times, waiting 50, 100, 200 … ms (at most 800) between tries. */
async function withRetries<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  let delay = 50;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 800);
    }
  }
}
