// The coordinator: owns the worker pools, the mock store and its persistence, and is the one path from the admin API
// to the workers (admin route → coordinator → worker pool → worker API → ConnectionManager).

import { MockdError, notFound } from '../errors.ts';
import type { Mock, MockType } from '../mocks/types.ts';
import { MockStore } from '../mocks/store.ts';
import { MockFile } from '../mocks/persistence.ts';
import { loadConfigFile, loadImports, type StartupImport } from '../mocks/loader.ts';
import type { CloseReason, ConnectionRecord, ConnectionStats, Protocol, WorkerName } from '../contract/protocols.ts';
import { ID_COUNTER_BYTES } from '../contract/ids.ts';
import { poolCountsBytes } from '../contract/caps.ts';
import { workerOfProtocol, workerOfType, workerTable } from '../contract/profiles.ts';
import type { HostOptions, ListenerInfo } from '../contract/worker-api.ts';
import type { TlsMaterial } from '../contract/tls.ts';
import type { TlsState } from '../tls/state.ts';
import { EventBus } from './event-bus.ts';
import { WorkerHandle } from './worker-handle.ts';
import { WorkerPool, type MemberHealth } from './worker-pool.ts';
import { MockChanges, materialize } from './mock-changes.ts';
import { JournalView } from './journal.ts';
import { MockRegistrations, type Logger } from './registrations.ts';
import { listHandlers, listPorts, type HandlerView, type PortView } from './status.ts';
import type { ClusterHooks } from './cluster-hooks.ts';
import { ChaosControl } from './chaos.ts';
import type { ConnectionFault } from '../contract/faults.ts';
import { gatherMetrics, type GatheredMetrics } from './metrics.ts';
import { renderPrometheus } from '../metrics/prometheus.ts';

export type { Logger } from './registrations.ts';

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
  /** `--no-metrics`: false turns the workers' counters off (issue 23). */
  metrics?: boolean;
  logFormat?: HostOptions['logFormat'];
  logRequests?: boolean;
  baseDir: string;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  writeTimeoutMs?: number;
  /** Members per worker pool (README "Workers"); 1 or unset = one worker per protocol, as always. */
  workers?: number;
  /** Cluster mode: the Redis the replicas share, handed to the workers (MQTT brokers meet there). */
  sharedRedis?: HostOptions['sharedRedis'];
  /** `--https-port` (0 = pick; unset = none), served by the http pool with `tls` (README "TLS"). */
  httpsPort?: number;
  /** mockd's own TLS material, handed to every worker. */
  tls?: TlsMaterial;
}

export class Coordinator {
  readonly store = new MockStore();
  readonly bus = new EventBus();
  readonly pools = new Map<WorkerName, WorkerPool>();
  readonly registrations: MockRegistrations;
  readonly changes: MockChanges;
  readonly journal: JournalView;
  /** Chaos across mocks (README "Faults and chaos"). */
  readonly chaos: ChaosControl;
  readonly startedAt = Date.now();
  /** Connection id counters shared by all workers, so ids are never reused, even across worker restarts. */
  readonly idCounters = new SharedArrayBuffer(ID_COUNTER_BYTES);
  adminPort = 0;
  ready = false;
  /** Cluster mode (`--cluster`, src/cluster): set once this replica has joined; unset, everything is local. */
  cluster?: ClusterHooks;
  /** mockd's TLS (README "TLS"); undefined when started without a certificate. */
  tls?: TlsState;
  /** Runs after a certificate reload with the new material (the admin server swaps its own certificate). */
  onTlsReload?: (material: TlsMaterial) => void;
  #file?: MockFile;
  /** Mocks created by a snapshot with `persist: false` (issue 21): served, but never written to the data dir. */
  readonly ephemeral = new Set<string>();
  #closing = false;
  /** The mock port once bound; a restarted http worker binds it again. */
  #mockPort = 0;
  #httpsPort: number | undefined;

  constructor(
    readonly options: CoordinatorOptions,
    readonly log: Logger,
  ) {
    this.registrations = new MockRegistrations((type) => this.poolOfType(type), log);
    this.journal = new JournalView({ journalSize: options.journalSize, pools: () => this.pools.values() });
    this.chaos = new ChaosControl(() => this.pools.values());
    this.changes = new MockChanges({
      store: this.store,
      registrations: this.registrations,
      validate: (mock) => this.poolOfType(mock.type).validate(mock),
      bus: this.bus,
      log,
      commit: () => this.commit(),
      reservedPorts: () => [this.adminPort, this.#mockPort, this.#httpsPort ?? 0].filter((p) => p > 0),
      replication: () => this.cluster?.mocks,
      // Every mock change's decision and every dry run is journaled (README "Mock changes").
      recordChange: (preview, dryRun) => this.journal.recordChange(preview.protocol, preview.mockId, { dryRun, ...withoutIds(preview) }),
      listConnections: (protocol, mockId) => (this.hasProtocol(protocol) ? this.listConnections(protocol, mockId) : Promise.resolve([])),
    });
  }

  /** Starts every worker pool, loads the initial mocks and registers the enabled ones. Rejects on a fatal error. */
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
      metrics: this.options.metrics,
      logFormat: this.options.logFormat,
      logRequests: this.options.logRequests,
      headersTimeoutMs: this.options.headersTimeoutMs,
      requestTimeoutMs: this.options.requestTimeoutMs,
      writeTimeoutMs: this.options.writeTimeoutMs,
      sharedRedis: this.options.sharedRedis,
      ...(this.options.tls ? { tls: this.options.tls } : {}),
    };
    const size = Math.max(1, this.options.workers ?? 1);
    await Promise.all(workerTable().map(({ name }) => this.#startPool(name, size, name === 'http' && this.options.httpsPort !== undefined ? { ...hostOptions, httpsPort: this.options.httpsPort } : hostOptions)));
    // A restarted http worker must come back on the same mock port, not on a fresh port 0.
    this.#mockPort = await this.mockPort();
    this.#httpsPort = await this.httpsPort();
    for (const member of this.pools.get('http')?.members ?? []) {
      member.options.port = this.#mockPort;
      if (this.#httpsPort !== undefined) member.options.httpsPort = this.#httpsPort;
    }
    for (const mock of initial) {
      this.store.set(mock);
      if (mock.enabled) await this.registrations.applyOrRecordError(mock);
    }
    await this.#pushEnabledCount();
    this.ready = true;
  }

  /**
   * One pool of `size` members. The http pool's first member binds the mock port; the others then join it on the
   * port it got (reusePort), and so does a restarted member. MQTT pools partition mocks over their members.
   */
  async #startPool(name: WorkerName, size: number, base: HostOptions): Promise<void> {
    const counts = new SharedArrayBuffer(poolCountsBytes(size));
    const members = Array.from({ length: size }, (_, i) => {
      const options: HostOptions = size === 1 ? { ...base } : { ...base, worker: `${name}-${i + 1}`, portShare: i === 0 ? 'first' : 'join', ...(base.httpsPort !== undefined ? { httpsPortShare: i === 0 ? 'first' : 'join' } : {}) };
      return new WorkerHandle(name, options, {
        onConnectionEvents: (events) =>
          events.forEach((e) => {
            this.chaos.record(e);
            // Every fault applied or lifted is journaled (README "Faults and chaos": GET /requests?faults=true).
            if (e.type === 'fault.applied' || e.type === 'fault.lifted') {
              this.journal.recordFault(e.protocol, e.mockId, {
                kind: e.kind,
                action: e.type === 'fault.applied' ? 'applied' : 'lifted',
                source: e.source,
                ...(e.id !== undefined && { connectionId: e.id }),
              });
            }
            this.bus.emit(e);
          }),
        onJournalEntries: (entries) => this.journal.onEntries(entries),
        onExit: (h, code) => void this.#restart(h, `exited with code ${code}`),
        onError: (h, err) => this.log('error', `${h.label} worker error: ${err.stack ?? err.message}`),
        onMetricsRequest: () => this.metricsText(),
      }, this.journal.counter, this.idCounters, { buffer: counts, member: i, members: size });
    });
    const pool = new WorkerPool(name, members, { partition: name === 'mqtt', counts });
    this.pools.set(name, pool);
    if (name !== 'http' || size === 1) return pool.start();
    const [first, ...rest] = members;
    await first!.start();
    const listeners = await first!.call('listeners');
    const port = listeners.find((l) => l.component === 'mock-server' && !l.tls)?.port ?? base.port;
    const httpsPort = listeners.find((l) => l.component === 'mock-server' && l.tls)?.port ?? base.httpsPort;
    for (const m of members) Object.assign(m.options, { port, portShare: 'join' }, httpsPort !== undefined ? { httpsPort, httpsPortShare: 'join' } : {});
    await Promise.all(rest.map((m) => m.start()));
  }

  async #loadInitialMocks(): Promise<Mock[]> {
    const loaded = await this.#loadStoredOrConfigMocks();
    if (!this.options.imports?.length) return loaded;
    const now = new Date().toISOString();
    const byId = new Map(loaded.map((m) => [m.id, m]));
    for (const input of await loadImports(this.options.imports, '--import', (w) => this.log('warn', w))) {
      const mock = materialize(input, now, byId.get(input.id ?? ''));
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
        const mock = materialize(input, now);
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

  pool(name: WorkerName): WorkerPool {
    const pool = this.pools.get(name);
    if (!pool) throw new MockdError('worker_unavailable', `the ${name} worker is not available`);
    return pool;
  }

  poolOfType(type: MockType): WorkerPool {
    return this.pool(workerOfType(type));
  }

  poolOfProtocol(protocol: Protocol): WorkerPool {
    return this.pool(workerOfProtocol(protocol));
  }

  /** After a change: saves the store when persistence is on (resolves once the file is replaced) and tells the
   * workers the enabled count for `/__mockd/ready`. */
  async commit(): Promise<void> {
    await this.#file?.save(this.ephemeral.size === 0 ? this.store.all() : this.store.all().filter((m) => !this.ephemeral.has(m.id)));
    await this.#pushEnabledCount();
  }

  async #pushEnabledCount(): Promise<void> {
    const n = this.store.list({ enabled: true }).length;
    await Promise.all([...this.pools.values()].map((p) => p.setEnabledCount(n)));
  }

  /** The mock as the API shows it: a port-0 MQTT/gRPC mock reports the port it was given. */
  view(mock: Mock): Mock {
    return this.registrations.view(mock);
  }

  requireMock(id: string): Mock {
    const mock = this.store.get(id);
    if (!mock) throw notFound();
    return mock;
  }

  // ---- connections: one path for every protocol ----

  listConnections(protocol: Protocol, mockId?: string): Promise<ConnectionRecord[]> {
    if (this.cluster) return this.cluster.connections.list(protocol, mockId);
    return this.poolOfProtocol(protocol).listConnections(protocol, mockId);
  }

  getConnection(protocol: Protocol, id: string): Promise<ConnectionRecord | undefined> {
    if (this.cluster) return this.cluster.connections.get(protocol, id);
    return this.poolOfProtocol(protocol).getConnection(protocol, id);
  }

  closeConnection(protocol: Protocol, id: string, reason: CloseReason = 'admin'): Promise<boolean> {
    if (this.cluster) return this.cluster.connections.close(protocol, id, reason);
    return this.poolOfProtocol(protocol).closeConnection(protocol, id, reason);
  }

  closeConnectionsOfMock(protocol: Protocol, mockId: string, reason: CloseReason = 'admin'): Promise<number> {
    if (this.cluster) return this.cluster.connections.closeByMock(protocol, mockId, reason);
    return this.poolOfProtocol(protocol).closeConnectionsOfMock(protocol, mockId, reason);
  }

  connectionStats(protocol: Protocol): Promise<ConnectionStats> {
    if (this.cluster) return this.cluster.connections.stats(protocol);
    return this.poolOfProtocol(protocol).stats(protocol);
  }

  hasProtocol(protocol: Protocol): boolean {
    return this.pools.has(workerOfProtocol(protocol));
  }

  /** `POST /<protocol>/connections/{id}/fault`: false when no member holds the connection. */
  faultConnection(protocol: Protocol, id: string, fault: ConnectionFault): Promise<boolean> {
    return this.poolOfProtocol(protocol).faultConnection(protocol, id, fault);
  }

  faultConnectionsOfMock(protocol: Protocol, mockId: string, fault: ConnectionFault): Promise<number> {
    return this.poolOfProtocol(protocol).faultConnectionsOfMock(protocol, mockId, fault);
  }

  liftConnectionFault(protocol: Protocol, id: string): Promise<boolean> {
    return this.poolOfProtocol(protocol).liftConnectionFault(protocol, id);
  }

  liftConnectionFaultsOfMock(protocol: Protocol, mockId: string): Promise<number> {
    return this.poolOfProtocol(protocol).liftConnectionFaultsOfMock(protocol, mockId);
  }

  /** `POST /websocket/connections/{id}/send`: resolves once the frame is written. */
  sendWebSocket(id: string, type: 'text' | 'binary', data: string): Promise<void> {
    if (this.cluster) return this.cluster.connections.sendWebSocket(id, type, data);
    return this.poolOfProtocol('websocket').sendWebSocket(id, type, data);
  }

  // ---- status ----

  /** Every worker's counters, one call per worker through its pool, merged (issue 23). */
  metrics(): Promise<GatheredMetrics> {
    return gatherMetrics(this.pools.values(), { total: this.store.all().length, enabled: this.store.list({ enabled: true }).length });
  }

  /** `GET /metrics` and the mock port's `/__mockd/metrics`: the Prometheus text format. */
  async metricsText(): Promise<string> {
    return renderPrometheus(await this.metrics());
  }

  /** Per worker kind, for `/health`; a pool of several members also lists each member by name. */
  health(): Record<string, { state: string; restarts: number; members?: MemberHealth[] }> {
    const out: Record<string, { state: string; restarts: number; members?: MemberHealth[] }> = {};
    for (const [name, pool] of this.pools) {
      const members = pool.health();
      const state = members.every((m) => m.state === members[0]!.state) ? members[0]!.state : 'degraded';
      const restarts = members.reduce((a, m) => a + m.restarts, 0);
      out[name] = members.length > 1 ? { state, restarts, members } : { state, restarts };
    }
    return out;
  }

  async listeners(): Promise<ListenerInfo[]> {
    const lists = await Promise.all([...this.pools.values()].map((p) => p.listeners()));
    return lists.flat();
  }

  /** `/ports` (contract §8.4). */
  async ports(): Promise<PortView[]> {
    return listPorts(await this.listeners(), this.adminPort, this.store.all(), this.registrations);
  }

  /** `/handlers` (contract §8.4). */
  async handlers(): Promise<HandlerView[]> {
    return listHandlers(this.store.all(), this.registrations, (p) => (this.hasProtocol(p) ? this.connectionStats(p) : undefined));
  }

  /** The HTTPS port the http worker is bound to; undefined without `--https-port`. */
  async httpsPort(): Promise<number | undefined> {
    if (this.options.httpsPort === undefined) return undefined;
    if (this.#httpsPort !== undefined) return this.#httpsPort;
    const listener = (await this.pool('http').listeners()).find((l) => l.component === 'mock-server' && l.tls);
    return listener?.port ?? this.options.httpsPort;
  }

  /** Every worker's listeners take `material` for new handshakes; live connections keep theirs (README "TLS"). */
  async reloadTls(material: TlsMaterial): Promise<void> {
    this.options.tls = material;
    await Promise.all([...this.pools.values()].map((p) => p.reloadTls(material)));
  }

  /** `POST /tls/reload` and SIGHUP: new certificates for new handshakes everywhere; live connections stay. */
  async reloadTlsCertificates(): Promise<TlsMaterial> {
    if (!this.tls) throw new MockdError('not_found', 'TLS is not enabled: start mockd with --tls-auto or --tls-cert/--tls-key');
    const material = await this.tls.reload();
    await this.reloadTls(material);
    this.onTlsReload?.(material);
    return material;
  }

  /** The mock port the http worker is bound to. */
  async mockPort(): Promise<number> {
    if (this.#mockPort > 0) return this.#mockPort;
    const listener = (await this.pool('http').listeners()).find((l) => l.component === 'mock-server' && !l.tls);
    return listener?.port ?? this.options.port;
  }

  /** Supervision: a worker that died is started again and its enabled mocks are registered again. */
  async #restart(handle: WorkerHandle, why: string): Promise<void> {
    if (this.#closing) return;
    this.log('error', `${handle.label} worker ${why}; restarting`);
    handle.restarts++;
    const pool = this.pool(handle.name);
    // Its connections died with it: they leave the pool's caps now (the lists already skip a dead member).
    pool.resetCounts(handle);
    // A port-0 mock keeps the port it was given for the life of the process (contract §1): the new worker has no
    // memory of it, so the mock is registered again with that port spelled out.
    const mocksOfMember = () => this.store.all().filter((m) => workerOfType(m.type) === handle.name && pool.serves(m.id, handle));
    const mine = mocksOfMember();
    let withPorts = mine.map((m) => this.view(m));
    // The other members of a pool keep serving these mocks, so their runtimes stay.
    const pooled = pool.members.length > 1;
    if (!pooled) this.registrations.forgetRuntimes(mine);
    try {
      // The dead thread's listening sockets are released asynchronously, so binding the same ports can fail for a
      // moment: retry with a short backoff rather than give up.
      await withRetries(() => handle.start(), () => this.#closing);
      // In a pool, mock changes kept reaching the live members meanwhile: register what the store holds now.
      if (pooled) withPorts = mocksOfMember().map((m) => this.view(m));
      for (const mock of withPorts) {
        if (this.#closing) return;
        if (!mock.enabled) continue;
        await withRetries(() => this.registrations.apply(mock, handle), () => this.#closing).catch(() => this.registrations.applyOrRecordError(mock, handle));
      }
      await this.#pushEnabledCount();
      await this.chaos.restore(pool, handle);
      await this.journal.restoreStreaming();
      this.bus.emit({ type: 'worker.restarted', worker: handle.label, restarts: handle.restarts });
    } catch (err) {
      this.log('error', `${handle.label} worker failed to restart: ${(err as Error).message}`);
    }
  }

  /** Graceful shutdown: every worker says goodbye to its clients, then stops. */
  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([...this.pools.values()].map((p) => p.stop()));
  }
}

/**
 * Runs `fn` until it succeeds, up to `attempts` times, waiting 50, 100, 200 … ms (at most 800) between tries; gives up
 * at once when `stop()` says so (mockd is shutting down).
 */
async function withRetries<T>(fn: () => Promise<T>, stop: () => boolean, attempts = 8): Promise<T> {
  let delay = 50;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || stop()) throw err;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 800);
    }
  }
}

/** The change block of a journal entry: the preview without what the entry itself says (mock id, protocol). */
function withoutIds<T extends { mockId: string; protocol: unknown }>(preview: T): Omit<T, 'mockId' | 'protocol'> {
  const { mockId: _mockId, protocol: _protocol, ...rest } = preview;
  return rest;
}
