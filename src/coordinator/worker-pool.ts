// The workers of one kind (http, mqtt or grpc) as the coordinator sees them: every call from the coordinator to a
// worker goes through its pool (admin route → coordinator → worker pool → worker API → ConnectionManager).
// A mock change reaches every member (an MQTT pool partitions instead: each mock lives on one member); connection
// listings and stats merge the members' answers by the protocol's profile; get, close and send go to the member that
// holds the connection (ids are unique across members). README "Workers" is the design note.

import { ZERO_CHAOS_COUNTS, type ChaosConfig, type ChaosCounts, type ConnectionFault } from '../contract/faults.ts';
import { MockdError } from '../errors.ts';
import type { Mock } from '../mocks/types.ts';
import type { JournalEntry, JournalFilter } from '../journal/types.ts';
import type { CloseReason, ConnectionRecord, ConnectionStats, Protocol, WorkerName } from '../contract/protocols.ts';
import { MOCK_TYPE_PROFILES, PROTOCOL_PROFILES } from '../contract/profiles.ts';
import { CAP_MOCK_BASE, CAP_MOCK_SLOTS, CAP_REGION } from '../contract/caps.ts';
import type { ListenerInfo, MockPlacement, MockRuntime, PortShare } from '../contract/worker-api.ts';
import type { MetricsSnapshot } from '../contract/metrics.ts';
import type { WorkerHandle } from './worker-handle.ts';
import type { TlsMaterial } from '../contract/tls.ts';

export interface WorkerPoolOptions {
  /** Each mock lives on one member (MQTT brokers are single-threaded) instead of on every member. */
  partition?: boolean;
  /** The pool counters every member counts in (src/contract/caps.ts). */
  counts?: SharedArrayBuffer;
}

export interface MemberHealth {
  worker: string;
  state: WorkerHandle['state'];
  restarts: number;
}

export class WorkerPool {
  readonly #partition: boolean;
  readonly #counts?: Int32Array;
  /** Partitioned pools: the member each mock lives on. */
  readonly #holder = new Map<string, WorkerHandle>();
  /** Own-port mocks served by several members: the port they share. */
  readonly #ports = new Map<string, number>();
  /** Each mock's current cap slot (a new one per version, so a version's `maxConnections` counts afresh). */
  readonly #slots = new Map<string, number>();
  #nextSlot = 0;

  constructor(
    readonly name: WorkerName,
    readonly members: readonly WorkerHandle[],
    options: WorkerPoolOptions = {},
  ) {
    this.#partition = options.partition === true;
    this.#counts = options.counts && new Int32Array(options.counts);
  }

  /** Starts every member; resolves once all answer. */
  async start(): Promise<void> {
    await Promise.all(this.members.map((m) => m.start()));
  }

  /** Graceful: every member says goodbye to its clients, then stops. */
  async stop(): Promise<void> {
    await Promise.all(this.members.map((m) => m.stop()));
  }

  /**
   * Registers a mock with every member (a partitioned pool: with the member it lives on; `on`: only with that member,
   * which was restarted); resolves once it serves. An own-port mock served by several members is applied to the
   * first member, then to the rest on the port it got, so a port-0 mock has one port in the whole pool.
   */
  async apply(mock: Mock, on?: WorkerHandle): Promise<MockRuntime> {
    const capSlot = on ? this.#slots.get(mock.id) : this.#allocateSlot(mock.id);
    if (this.#partition) {
      const holder = on ?? this.#holder.get(mock.id) ?? this.#leastLoaded();
      const runtime = await holder.call('apply', mock, { capSlot });
      this.#holder.set(mock.id, holder);
      return runtime;
    }
    if (this.members.length === 1) return this.members[0]!.call('apply', mock, { capSlot });
    const ownPort = MOCK_TYPE_PROFILES[mock.type].ownPort;
    if (!ownPort) {
      const targets = on ? [on] : this.#running();
      const runtimes = await Promise.all(targets.map((m) => m.call('apply', mock, { capSlot })));
      return runtimes[0]!;
    }
    if (on) return on.call('apply', mock, { capSlot, portShare: 'join' });
    const spec = ownPort.read(mock) ?? 0;
    const held = this.#ports.get(mock.id);
    // Joining is right when the pool already serves this port; otherwise the first member checks it is free.
    const firstShare: PortShare = held !== undefined && (spec === 0 || spec === held) ? 'join' : 'first';
    const [first, ...rest] = this.#running();
    if (!first) throw new MockdError('worker_unavailable', `no ${this.name} worker is running`);
    const runtime = await first.call('apply', mock, { capSlot, portShare: firstShare } satisfies MockPlacement);
    const onPort = spec === 0 && runtime.port !== undefined ? ownPort.withPort(mock, runtime.port) : mock;
    await Promise.all(rest.map((m) => m.call('apply', onPort, { capSlot, portShare: 'join' })));
    if (runtime.port !== undefined) this.#ports.set(mock.id, runtime.port);
    return runtime;
  }

  /** What only a worker can check (e.g. that gRPC protos parse); one member answers for all. */
  validate(mock: Mock): Promise<void> {
    return this.#first().call('validate', mock);
  }

  async remove(mockId: string): Promise<void> {
    const holder = this.#holder.get(mockId);
    await Promise.all((holder ? [holder] : this.#running()).map((m) => m.call('remove', mockId)));
    this.#holder.delete(mockId);
    this.#ports.delete(mockId);
    this.#slots.delete(mockId);
  }

  /** True when `member` serves `mockId` (every member does, unless the pool is partitioned). */
  serves(mockId: string, member: WorkerHandle): boolean {
    return !this.#partition || this.members.length === 1 || this.#holder.get(mockId) === member;
  }

  /** Before a dead member is restarted: its counts leave the pool's totals, since its connections went with it. */
  resetCounts(member: WorkerHandle): void {
    const index = this.members.indexOf(member);
    if (!this.#counts || index < 0) return;
    const totals = this.members.length * CAP_REGION;
    for (let i = 0; i < CAP_REGION; i++) {
      const held = Atomics.exchange(this.#counts, index * CAP_REGION + i, 0);
      if (held !== 0) Atomics.sub(this.#counts, totals + i, held);
    }
  }

  async listeners(): Promise<ListenerInfo[]> {
    const lists = await this.#fromEach((m) => m.call('listeners'), [] as ListenerInfo[]);
    if (lists.length === 1) return lists[0]!;
    // Members that share a port list it once.
    const seen = new Set<string>();
    return lists.flat().filter((l) => {
      const key = `${l.component}:${l.port}:${l.mockId ?? ''}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
  }

  /** New TLS material for every member, for new handshakes now and after a restart (README "TLS"). */
  async reloadTls(material: TlsMaterial): Promise<void> {
    for (const m of this.members) m.options.tls = material;
    await this.#fromEach((m) => m.call('reloadTls', material), undefined);
  }

  async setEnabledCount(count: number): Promise<void> {
    await this.#fromEach((m) => m.call('setEnabledCount', count), undefined);
  }

  /** Live connections of every member, oldest first. */
  async listConnections(protocol: Protocol, mockId?: string): Promise<ConnectionRecord[]> {
    const lists = await this.#fromEach((m) => m.call('listConnections', protocol, mockId), [] as ConnectionRecord[]);
    if (lists.length === 1) return lists[0]!;
    return lists.flat().sort((a, b) => a.connectedAt.localeCompare(b.connectedAt));
  }

  async getConnection(protocol: Protocol, id: string): Promise<ConnectionRecord | undefined> {
    const found = await this.#fromEach((m) => m.call('getConnection', protocol, id), undefined);
    return found.find((r) => r !== undefined);
  }

  /** False when no member holds the connection. */
  async closeConnection(protocol: Protocol, id: string, reason: CloseReason): Promise<boolean> {
    const closed = await this.#fromEach((m) => m.call('closeConnection', protocol, id, reason), false);
    return closed.some(Boolean);
  }

  async closeConnectionsOfMock(protocol: Protocol, mockId: string, reason: CloseReason): Promise<number> {
    const counts = await this.#fromEach((m) => m.call('closeConnectionsOfMock', protocol, mockId, reason), 0);
    return counts.reduce((a, b) => a + b, 0);
  }

  async stats(protocol: Protocol): Promise<ConnectionStats> {
    const parts = await this.#fromEach((m) => m.call('stats', protocol), undefined);
    return PROTOCOL_PROFILES[protocol].mergeStats(parts.filter((p): p is ConnectionStats => p !== undefined));
  }

  /**
   * A fault reaches the member that holds the connection: every member is asked and only the holder acts (ids are
   * unique across members; an MQTT client id may be on several brokers, as for close). False when none holds it.
   */
  async faultConnection(protocol: Protocol, id: string, fault: ConnectionFault): Promise<boolean> {
    const results = await this.#fromEach((m) => m.call('faultConnection', protocol, id, fault), false);
    return results.some(Boolean);
  }

  async faultConnectionsOfMock(protocol: Protocol, mockId: string, fault: ConnectionFault): Promise<number> {
    const counts = await this.#fromEach((m) => m.call('faultConnectionsOfMock', protocol, mockId, fault), 0);
    return counts.reduce((a, b) => a + b, 0);
  }

  async liftConnectionFault(protocol: Protocol, id: string): Promise<boolean> {
    const results = await this.#fromEach((m) => m.call('liftConnectionFault', protocol, id), false);
    return results.some(Boolean);
  }

  async liftConnectionFaultsOfMock(protocol: Protocol, mockId: string): Promise<number> {
    const counts = await this.#fromEach((m) => m.call('liftConnectionFaultsOfMock', protocol, mockId), 0);
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Chaos reaches every member (`only`: just that one, a restarted member). */
  async setChaos(config: ChaosConfig, only?: WorkerHandle): Promise<void> {
    if (only) return only.call('setChaos', config);
    await this.#fromEach((m) => m.call('setChaos', config), undefined);
  }

  /** The members' chaos counts, summed. */
  async chaosCounts(): Promise<ChaosCounts> {
    const parts = await this.#fromEach((m) => m.call('chaosCounts'), undefined);
    const sum: ChaosCounts = { ...ZERO_CHAOS_COUNTS };
    for (const part of parts) if (part) for (const k of Object.keys(sum) as (keyof ChaosCounts)[]) sum[k] += part[k];
    return sum;
  }

  /** Sends on the member that holds the connection; not_found when none does. */
  async sendWebSocket(id: string, type: 'text' | 'binary', data: string): Promise<void> {
    if (this.members.length === 1) return this.members[0]!.call('sendWebSocket', id, type, data);
    const holders = await this.#fromEach(async (m) => ((await m.call('getConnection', 'websocket', id)) ? m : undefined), undefined);
    const holder = holders.find(Boolean);
    if (!holder) throw new MockdError('not_found', 'Connection not found');
    return holder.call('sendWebSocket', id, type, data);
  }

  /** Journal entries of every member; a member that does not answer contributes none. */
  async journalQuery(filter: JournalFilter): Promise<JournalEntry[]> {
    const lists = await Promise.all(this.members.map((m) => m.call('journalQuery', filter).catch(() => [] as JournalEntry[])));
    return lists.flat();
  }

  async journalClear(): Promise<void> {
    await this.#fromEach((m) => m.call('journalClear'), undefined);
  }

  async journalRemoveMock(mockId: string): Promise<number> {
    const counts = await this.#fromEach((m) => m.call('journalRemoveMock', mockId), 0);
    return counts.reduce((a, b) => a + b, 0);
  }

  async journalStreaming(on: boolean): Promise<void> {
    await Promise.all(this.members.map((m) => m.call('journalStreaming', on).catch(() => undefined)));
  }

  /** One `metrics` call per running member (issue 23); a member that does not answer contributes none. */
  async metrics(): Promise<MetricsSnapshot[]> {
    const parts = await Promise.all(this.members.map((m) => (m.state === 'running' ? m.call('metrics').catch(() => undefined) : undefined)));
    return parts.filter((p): p is MetricsSnapshot => p !== undefined);
  }

  /** Per member, for `/health`. */
  health(): MemberHealth[] {
    return this.members.map((m) => ({ worker: m.label, state: m.state, restarts: m.restarts }));
  }

  /**
   * Asks every member. Alone, a member's failure is the answer (as it always was); in a pool of several, a member
   * that is not running (dead, being restarted) answers `absent`, so the others keep the listing working.
   */
  #fromEach<T, A>(ask: (m: WorkerHandle) => Promise<T>, absent: A): Promise<(T | A)[]> {
    if (this.members.length === 1) return Promise.all([ask(this.members[0]!)]);
    return Promise.all(
      this.members.map((m) =>
        m.state !== 'running'
          ? absent
          : ask(m).catch((err: unknown) => {
              if (m.state !== 'running' || (err as MockdError).code === 'worker_unavailable') return absent;
              throw err;
            }),
      ),
    );
  }

  /** Members that can take a mock change now; a member being restarted gets every mock when it comes back. */
  #running(): WorkerHandle[] {
    const running = this.members.filter((m) => m.state === 'running');
    return running.length > 0 ? running : [...this.members];
  }

  #leastLoaded(): WorkerHandle {
    const load = new Map(this.members.map((m) => [m, 0]));
    for (const h of this.#holder.values()) load.set(h, (load.get(h) ?? 0) + 1);
    const candidates = this.#running();
    return candidates.reduce((best, m) => (load.get(m)! < load.get(best)! ? m : best), candidates[0]!);
  }

  /** A fresh cap slot for a new mock version, zeroed in every member's region and in the totals. */
  #allocateSlot(mockId: string): number {
    const slot = this.#nextSlot;
    this.#nextSlot = (this.#nextSlot + 1) % CAP_MOCK_SLOTS;
    if (this.#counts) {
      for (let m = 0; m <= this.members.length; m++) Atomics.store(this.#counts, m * CAP_REGION + CAP_MOCK_BASE + slot, 0);
    }
    this.#slots.set(mockId, slot);
    return slot;
  }

  #first(): WorkerHandle {
    const member = this.#running()[0];
    if (!member) throw new MockdError('worker_unavailable', `the ${this.name} worker is not available`);
    return member;
  }
}
