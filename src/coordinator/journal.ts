// The one journal across workers (contract §12): each worker keeps its own ring; here the answers are merged by id
// (ids increase across all workers), trimmed to --journal-size overall, filtered and paged. Waiters and live
// subscribers switch the workers to streaming new entries, so a wait returns as soon as a matching entry arrives.

import { MockdError, validationError } from '../errors.ts';
import { matchesFilter, type StoredEntry } from '../journal/filter.ts';
import { toPublic } from '../journal/recorder.ts';
import { entryNumber, type JournalEntry, type JournalFilter } from '../journal/types.ts';
import { JOURNAL_COUNTER_BYTES } from '../contract/ids.ts';
import type { WorkerPool } from './worker-pool.ts';
import type { ChangeBlock, FaultBlock, JournalProtocol } from '../journal/types.ts';

/** What the journal view needs: the configured size and the pools whose workers keep the rings. */
export interface JournalViewDeps {
  journalSize: number;
  pools(): Iterable<WorkerPool>;
}

export const MAX_WAIT_MS = 60_000;

/**
 * Cluster mode (src/cluster): the journal of every replica lives in one shared store. This view then reads it there,
 * sends the entries its workers record there, and hears every replica's new entries back through `deliver`.
 */
export interface SharedJournal {
  /** The id number of the newest entry recorded by any replica. */
  currentNumber(): Promise<number>;
  collect(filter: JournalFilter): Promise<StoredEntry[]>;
  append(entries: StoredEntry[]): void;
  clear(): Promise<void>;
  removeMock(mockId: string): Promise<number>;
  /** Someone here waits for new entries (true) or stopped (false); resolves once new entries will be heard. */
  listen(on: boolean): Promise<void>;
}

interface Waiter {
  filter: JournalFilter;
  count: number;
  found: JournalEntry[];
  seen: Set<string>;
  done(passed: boolean): void;
}

export class JournalView {
  readonly counter = new SharedArrayBuffer(JOURNAL_COUNTER_BYTES);
  readonly #waiters = new Set<Waiter>();
  readonly #listeners = new Set<(entries: JournalEntry[]) => void>();
  #streamRefs = 0;
  shared?: SharedJournal;
  /** Entries the coordinator records itself (mock change decisions), numbered from the same counter as the workers'. */
  #own: StoredEntry[] = [];

  constructor(private readonly c: JournalViewDeps) {}

  #pools(): WorkerPool[] {
    return [...this.c.pools()];
  }

  /** The id number of the newest entry recorded anywhere so far. */
  get lastNumber(): number {
    return Number(Atomics.load(new BigInt64Array(this.counter), 0));
  }

  get isStreaming(): boolean {
    return this.#streamRefs > 0;
  }

  /** Records a mock change's decision or dry run (README "Mock changes"); waiters for `changes` see it. */
  recordChange(protocol: JournalProtocol, mockId: string, change: ChangeBlock): void {
    // The live `request` events do not carry it (/events has `change.decided` for that).
    this.#recordOwn({ protocol, mockId, change });
  }

  /** Records a fault applied or lifted (README "Faults and chaos"); listed with `?faults=true`, awaited like any entry. */
  recordFault(protocol: JournalProtocol, mockId: string, fault: FaultBlock): void {
    this.#recordOwn({ protocol, mockId, fault });
  }

  /** An entry the coordinator records itself, numbered from the same counter as the workers'. */
  #recordOwn(fields: Pick<StoredEntry, 'protocol' | 'mockId' | 'change' | 'fault'>): void {
    const n = Number(Atomics.add(new BigInt64Array(this.counter), 0, 1n) + 1n);
    const entry: StoredEntry = { id: `req-${n}`, timestamp: new Date().toISOString(), matched: true, ...fields };
    this.#own.push(entry);
    const oldest = this.#oldestKept();
    if (this.#own.length > this.c.journalSize) this.#own = this.#own.filter((e) => entryNumber(e.id) >= oldest);
    for (const w of this.#waiters) this.#offer(w, [entry]);
  }

  async #collect(filter: JournalFilter): Promise<JournalEntry[]> {
    // Change decisions and faults are this replica's own (in a cluster too).
    if (filter.changes || filter.faults) return this.#own.filter((e) => matchesFilter(e, filter));
    if (this.shared) return (await this.shared.collect(filter)).map(toPublic);
    const lists = await Promise.all(this.#pools().map((p) => p.journalQuery(filter)));
    const all = lists.flat().sort((a, b) => entryNumber(a.id) - entryNumber(b.id));
    return all;
  }

  /**
   * The lowest id number still in the journal as a whole. Every id is given to exactly one recorded entry, so the
   * newest --journal-size entries are those numbered above `last - size`; entries cleared or removed since leave
   * holes. Each worker's ring keeps its own newest --journal-size, so it holds all of these and maybe older ones,
   * which this cut hides (a filtered answer cannot tell them apart by counting).
   */
  #oldestKept(): number {
    // The shared store keeps exactly the newest --journal-size entries of the cluster.
    if (this.shared) return 0;
    return this.lastNumber - this.c.journalSize + 1;
  }

  /** Matching entries still in the journal, oldest first. */
  async query(filter: JournalFilter, page: { limit?: number; offset?: number } = {}): Promise<{ requests: JournalEntry[]; count: number; total: number }> {
    const collected = await this.#collect(filter);
    const oldest = this.#oldestKept();
    const all = collected.filter((e) => entryNumber(e.id) >= oldest);
    const offset = page.offset ?? 0;
    const limit = page.limit ?? 100;
    const requests = all.slice(offset, offset + limit);
    return { requests, count: requests.length, total: all.length };
  }

  async get(id: string): Promise<JournalEntry> {
    if (!/^req-\d+$/.test(id)) throw new MockdError('not_found', 'Request not found');
    const n = entryNumber(id);
    if (n < this.#oldestKept()) throw new MockdError('not_found', 'Request not found');
    const found = (await this.#collect({ since: n - 1 })).find((e) => e.id === id) ?? this.#own.find((e) => e.id === id);
    if (!found) throw new MockdError('not_found', 'Request not found');
    return found;
  }

  async clear(): Promise<void> {
    this.#own = [];
    if (this.shared) return this.shared.clear();
    await Promise.all(this.#pools().map((p) => p.journalClear()));
  }

  async removeMock(mockId: string): Promise<number> {
    if (this.shared) return this.shared.removeMock(mockId);
    const counts = await Promise.all(this.#pools().map((p) => p.journalRemoveMock(mockId)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Calls of a mock (see isCall), oldest first. */
  async calls(mockId: string, valid?: boolean): Promise<JournalEntry[]> {
    const { requests } = await this.query({ mockId, callsOnly: true, valid }, { limit: Number.MAX_SAFE_INTEGER });
    return requests;
  }

  /** Resolves once `count` entries newer than the call match, or with passed false after `timeoutMs`. */
  async wait(filter: JournalFilter, count: number, timeoutMs: number): Promise<{ passed: boolean; requests: JournalEntry[] }> {
    if (!Number.isInteger(count) || count < 1) throw validationError('count', 'must be a positive integer');
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > MAX_WAIT_MS) throw validationError('timeoutMs', `must be an integer from 0 to ${MAX_WAIT_MS}`);
    const start = this.shared ? await this.shared.currentNumber() : this.lastNumber;
    const scoped: JournalFilter = { ...filter, since: Math.max(start, filter.since ?? 0) };
    let timer: NodeJS.Timeout | undefined;
    const waiter: Waiter = { filter: scoped, count, found: [], seen: new Set(), done: () => undefined };
    const result = new Promise<boolean>((resolve) => {
      waiter.done = resolve;
    });
    this.#waiters.add(waiter);
    await this.acquireStream();
    try {
      // Entries recorded before streaming was on are fetched once, so none slips between the two.
      this.#offer(waiter, await this.#collect(scoped));
      timer = setTimeout(() => waiter.done(false), timeoutMs);
      const passed = await result;
      return { passed, requests: waiter.found };
    } finally {
      clearTimeout(timer);
      this.#waiters.delete(waiter);
      this.releaseStream();
    }
  }

  #offer(w: Waiter, entries: StoredEntry[]): void {
    for (const e of entries) {
      if (w.seen.has(e.id) || !matchesFilter(e, w.filter)) continue;
      w.seen.add(e.id);
      w.found.push(toPublic(e));
    }
    w.found.sort((a, b) => entryNumber(a.id) - entryNumber(b.id));
    if (w.found.length >= w.count) w.done(true);
  }

  /** Called with every batch a worker streams (entries still carry their connection path). */
  onEntries(entries: StoredEntry[]): void {
    if (this.shared) this.shared.append(entries);
    else this.deliver(entries);
  }

  /** New entries for the waiters and live subscribers (in cluster mode: every replica's, from the shared store). */
  deliver(entries: StoredEntry[]): void {
    for (const w of this.#waiters) this.#offer(w, entries);
    if (this.#listeners.size === 0) return;
    const out = entries.map(toPublic);
    for (const l of this.#listeners) l(out);
  }

  /** Live subscribers (the `/events?requests=true` stream). */
  subscribe(listener: (entries: JournalEntry[]) => void): () => void {
    this.#listeners.add(listener);
    void this.acquireStream();
    return () => {
      this.#listeners.delete(listener);
      this.releaseStream();
    };
  }

  async acquireStream(): Promise<void> {
    this.#streamRefs++;
    if (this.#streamRefs === 1) await this.#setStreaming(true);
    await this.shared?.listen(true);
  }

  releaseStream(): void {
    this.#streamRefs = Math.max(0, this.#streamRefs - 1);
    if (this.#streamRefs === 0) void this.#setStreaming(false);
    void this.shared?.listen(false);
  }

  /** After a worker restart its streaming flag is off again. */
  async restoreStreaming(): Promise<void> {
    if (this.#streamRefs > 0) await this.#setStreaming(true);
  }

  async #setStreaming(on: boolean): Promise<void> {
    await Promise.all(this.#pools().map((p) => p.journalStreaming(on)));
  }

  /** `valid` counts only messages checked against a schema with that outcome (issue 22). */
  async verifyCount(mockId: string, valid?: boolean): Promise<{ callCount: number; lastCalledAt?: string }> {
    const calls = await this.calls(mockId, valid);
    const last = calls.at(-1);
    return last ? { callCount: calls.length, lastCalledAt: last.timestamp } : { callCount: 0 };
  }
}
