// The shared bookkeeping behind the four ConnectionManagers (contract §9). Ordering by connectedAt, total* counters,
// connectionsByMock and the opened/closed events live once here; what differs per protocol is how to say goodbye, a
// function each manager hands to the registry. The manager vocabulary itself is in src/contract/protocols.ts.

import type { CloseReason, ConnectionListener, ConnectionEvent, ConnectionManager, ConnectionRecord, ConnectionStats, Goodbye, Protocol } from '../contract/protocols.ts';
import { ID_SLOTS } from '../contract/ids.ts';
import type { ConnectionFault } from '../contract/faults.ts';
import { ConnectionFaults, type FaultTarget } from './faults/connection-faults.ts';

interface Entry<R> {
  record: R;
  closeFn: Goodbye;
  closing?: Promise<void>;
}

/**
 * Shared bookkeeping for one protocol inside one worker. Insertion order is connectedAt order, so listing needs no
 * sort. A connection is removed exactly once, through `remove()`, whoever ended it (client, admin, mock change).
 */
export class ConnectionRegistry<R extends ConnectionRecord> {
  readonly #entries = new Map<string, Entry<R>>();
  readonly #byMock = new Map<string, Set<string>>();
  readonly #listeners = new Set<ConnectionListener>();
  /** Why each connection is being closed, so the closed event reports admin/mock_changed rather than client. */
  readonly #pendingReason = new Map<string, CloseReason>();
  totalConnections = 0;

  /** Faults on this protocol's live connections (README "Faults and chaos"). */
  readonly faults: ConnectionFaults;
  #tlsSeen = false;

  constructor(readonly protocol: Protocol) {
    this.faults = new ConnectionFaults(protocol, (id, reason) => {
      if (this.#entries.has(id)) this.#pendingReason.set(id, reason);
    });
  }

  onEvent(listener: ConnectionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** `target` lets faults reach the connection (its socket, its goodbye with a chosen code). */
  add(record: R, closeFn: Goodbye, target?: FaultTarget): void {
    if (record.tls) this.#tlsSeen = true;
    if (workerName !== undefined) record.worker = workerName;
    this.#entries.set(record.id, { record, closeFn });
    this.faults.attach(record.id, record.mockId, (record as { path?: string }).path, target);
    let ids = this.#byMock.get(record.mockId);
    if (!ids) this.#byMock.set(record.mockId, (ids = new Set()));
    ids.add(record.id);
    this.totalConnections++;
    this.#emit({ type: 'connection.opened', protocol: this.protocol, id: record.id, mockId: record.mockId });
  }

  /** Call when the connection is really gone; the reason defaults to the one a close() asked for, else `client`. */
  remove(id: string, reason?: CloseReason): R | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    this.faults.detach(id);
    const ids = this.#byMock.get(entry.record.mockId);
    if (ids) {
      ids.delete(id);
      if (ids.size === 0) this.#byMock.delete(entry.record.mockId);
    }
    const why = this.#pendingReason.get(id) ?? reason ?? 'client';
    this.#pendingReason.delete(id);
    this.#emit({ type: 'connection.closed', protocol: this.protocol, id, mockId: entry.record.mockId, reason: why });
    return entry.record;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  get(id: string): R | undefined {
    return this.#entries.get(id)?.record;
  }

  get size(): number {
    return this.#entries.size;
  }

  list(mockId?: string): R[] {
    if (mockId === undefined) return Array.from(this.#entries.values(), (e) => e.record);
    const ids = this.#byMock.get(mockId);
    if (!ids) return [];
    const out: R[] = [];
    for (const id of ids) out.push(this.#entries.get(id)!.record);
    return out;
  }

  /** Live records, without copying, for stats loops. */
  records(): IterableIterator<R> {
    return (function* (entries) {
      for (const e of entries.values()) yield e.record;
    })(this.#entries);
  }

  /** Live connections that came over TLS, for the protocol's `tlsConnections` stat. */
  tlsCount(): number {
    let n = 0;
    for (const e of this.#entries.values()) if (e.record.tls) n++;
    return n;
  }

  /**
   * `{tlsConnections}` once TLS is in play in this worker (mockd has a certificate, or a TLS client has connected);
   * left out otherwise, so a mockd without TLS reports the contract's stats exactly.
   */
  tlsStat(): { tlsConnections?: number } {
    const n = this.tlsCount();
    if (n > 0) this.#tlsSeen = true;
    return tlsInPlay || this.#tlsSeen ? { tlsConnections: n } : {};
  }

  connectionsByMock(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [mockId, ids] of this.#byMock) out[mockId] = ids.size;
    return out;
  }

  /** Runs the protocol's goodbye and makes sure the record is gone before resolving. */
  async close(id: string, reason: CloseReason): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    if (!entry.closing) {
      this.#pendingReason.set(id, reason);
      entry.closing = Promise.resolve()
        .then(() => entry.closeFn(reason))
        .catch(() => undefined)
        .finally(() => this.remove(id));
    }
    await entry.closing;
    return true;
  }

  async closeByMock(mockId: string, reason: CloseReason): Promise<number> {
    const ids = [...(this.#byMock.get(mockId) ?? [])];
    const results = await Promise.all(ids.map((id) => this.close(id, reason)));
    return results.filter(Boolean).length;
  }

  async closeAll(reason: CloseReason): Promise<number> {
    const ids = [...this.#entries.keys()];
    const results = await Promise.all(ids.map((id) => this.close(id, reason)));
    return results.filter(Boolean).length;
  }

  #emit(event: ConnectionEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // A listener's failure must never break connection bookkeeping.
      }
    }
  }
}

/** The ConnectionManager verbs every registry-backed manager answers the same way. */
export type RegistryVerbs<R extends ConnectionRecord> = Pick<
  ConnectionManager<R, ConnectionStats>,
  'list' | 'get' | 'close' | 'closeByMock' | 'closeAll' | 'onEvent' | 'fault' | 'faultByMock' | 'liftFault' | 'liftFaultsOfMock'
>;

/**
 * Those verbs, written once: listings are copies, so a record handed out (and sent across threads) never changes
 * under its reader. A manager takes them with `Object.assign(this, registryVerbs(registry))` and adds its stats.
 */
export function registryVerbs<R extends ConnectionRecord>(registry: ConnectionRegistry<R>): RegistryVerbs<R> {
  return {
    list: (mockId) => registry.list(mockId).map((r) => ({ ...r })),
    get: (id) => {
      const record = registry.get(id);
      return record && { ...record };
    },
    close: (id, reason) => registry.close(id, reason),
    closeByMock: (mockId, reason) => registry.closeByMock(mockId, reason),
    closeAll: (reason) => registry.closeAll(reason),
    onEvent: (listener) => registry.onEvent(listener),
    fault: (id, fault: ConnectionFault) => registry.faults.apply(id, fault),
    faultByMock: (mockId, fault: ConnectionFault) => registry.faults.applyToMock(mockId, fault),
    liftFault: (id) => registry.faults.lift(id),
    liftFaultsOfMock: (mockId) => registry.faults.liftMock(mockId),
  };
}

/**
 * Connection ids must stay unique for the life of the process, even when a worker is restarted. The coordinator
 * hands every worker the same SharedArrayBuffer of counters (one slot per prefix); without one (unit tests), each
 * sequence counts on its own.
 */
let sharedCounters: BigInt64Array | undefined;
/** The pool member this worker is (`http-2`), stamped on every record; unset when the pool has one member. */
let workerName: string | undefined;
/** This worker has mockd's certificate (README "TLS"): every protocol's stats show `tlsConnections`. */
let tlsInPlay = false;

export function useTlsStats(on: boolean): void {
  tlsInPlay = on;
}

export function useWorkerName(name: string | undefined): void {
  workerName = name;
}

export function useSharedIdCounters(buffer: SharedArrayBuffer): void {
  sharedCounters = new BigInt64Array(buffer);
}

/** Builds connection ids `<prefix><n>`, counting from 1 and never reused. */
export function createIdSequence(prefix: string): () => string {
  let n = 0;
  const slot = ID_SLOTS[prefix];
  return () => {
    if (sharedCounters && slot !== undefined) return `${prefix}${Atomics.add(sharedCounters, slot, 1n) + 1n}`;
    return `${prefix}${++n}`;
  };
}
