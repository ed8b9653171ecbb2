// The journal across replicas (README "Cluster mode"): every replica's workers stream their entries here, and one Lua
// script numbers them from one cluster-wide counter, appends them to one Redis list trimmed to --journal-size (the
// ring, shared), and publishes them; every replica hears them back for `POST /requests/wait` and `/events`.
// Queries, verify and invocations read the list, so they count traffic served by every replica.

import type { Redis } from 'ioredis';
import { MockdError } from '../errors.ts';
import { matchesFilter, type StoredEntry } from '../journal/filter.ts';
import { entryNumber, type JournalFilter } from '../journal/types.ts';
import type { JournalView, SharedJournal } from '../coordinator/journal.ts';
import type { Logger } from '../coordinator/registrations.ts';
import type { ClusterKeys } from './keys.ts';

const ID_MARK = '__MOCKD_N__';

// KEYS: list, counter, channel. ARGV[1]: size; ARGV[2…]: entries as JSON whose id holds ID_MARK (the first key).
const APPEND_SCRIPT = `
local n = #ARGV - 1
local last = redis.call('INCRBY', KEYS[2], n)
local first = last - n + 1
local out = {}
for i = 2, #ARGV do
  local s = (string.gsub(ARGV[i], '${ID_MARK}', tostring(first + i - 2), 1))
  redis.call('RPUSH', KEYS[1], s)
  out[#out + 1] = s
end
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
redis.call('PUBLISH', KEYS[3], '[' .. table.concat(out, ',') .. ']')
return last
`;

// KEYS: list. ARGV[1]: mock id. Removes that mock's entries; returns how many.
const REMOVE_MOCK_SCRIPT = `
local n = 0
for _, s in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local ok, e = pcall(cjson.decode, s)
  if ok and e.mockId == ARGV[1] then
    redis.call('LREM', KEYS[1], 1, s)
    n = n + 1
  end
end
return n
`;

type Scripted = Redis & {
  mockdJournalAppend(...args: string[]): Promise<number>;
  mockdJournalRemoveMock(...args: string[]): Promise<number>;
};

/** A journal read while Redis is away is a clear 503, as a write is. */
async function orUnavailable<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw new MockdError('worker_unavailable', `cluster store (Redis) is unreachable: the shared journal cannot be read (${(err as Error).message})`);
  }
}

export class ClusterJournal implements SharedJournal {
  readonly #redis: Scripted;
  /** Waiters and live subscribers here: new entries are heard (subscribed to) only while there are some. */
  #listeners = 0;
  #subscribed: Promise<unknown> = Promise.resolve();

  constructor(
    redis: Redis,
    private readonly sub: Redis,
    private readonly keys: ClusterKeys,
    private readonly self: string,
    private readonly view: JournalView,
    private readonly size: number,
    private readonly log: Logger,
  ) {
    redis.defineCommand('mockdJournalAppend', { numberOfKeys: 3, lua: APPEND_SCRIPT });
    redis.defineCommand('mockdJournalRemoveMock', { numberOfKeys: 1, lua: REMOVE_MOCK_SCRIPT });
    this.#redis = redis as Scripted;
  }

  /** From now on the workers stream every entry, and the view reads and writes the shared list. */
  async start(): Promise<void> {
    await this.view.acquireStream();
    this.view.shared = this;
  }

  /**
   * Every replica publishes each batch it appends, but one hears them only while something here waits for them
   * (`POST /requests/wait`, `/events?requests=true`): idle replicas pay nothing per request. A wait subscribes before
   * it reads the list, so no entry falls between the two.
   */
  async listen(on: boolean): Promise<void> {
    if (on) {
      if (++this.#listeners === 1) this.#subscribed = this.sub.subscribe(this.keys.journalNew);
      await orUnavailable(this.#subscribed);
    } else if (this.#listeners > 0 && --this.#listeners === 0) {
      this.#subscribed = this.sub.unsubscribe(this.keys.journalNew).catch(() => undefined);
    }
  }

  stop(): void {
    if (this.view.shared === this) this.view.shared = undefined;
  }

  async currentNumber(): Promise<number> {
    return Number((await orUnavailable(this.#redis.get(this.keys.journalSeq))) ?? 0);
  }

  async collect(filter: JournalFilter): Promise<StoredEntry[]> {
    const raw = await orUnavailable(this.#redis.lrange(this.keys.journal, 0, -1));
    const out: StoredEntry[] = [];
    for (const s of raw) {
      const e = JSON.parse(s) as StoredEntry;
      if (matchesFilter(e, filter)) out.push(e);
    }
    return out.sort((a, b) => entryNumber(a.id) - entryNumber(b.id));
  }

  append(entries: StoredEntry[]): void {
    if (entries.length === 0 || this.size <= 0) return;
    const json = entries.map((e) => JSON.stringify({ ...e, id: `req-${ID_MARK}`, replica: this.self }));
    // While Redis is away the entries of this replica are lost to the shared journal (the note says so).
    this.#redis.mockdJournalAppend(this.keys.journal, this.keys.journalSeq, this.keys.journalNew, String(this.size), ...json).catch((err: Error) => {
      this.log('debug', `cluster: journal entries dropped: ${err.message}`);
    });
  }

  onMessage(raw: string): void {
    this.view.deliver(JSON.parse(raw) as StoredEntry[]);
  }

  async clear(): Promise<void> {
    await orUnavailable(this.#redis.del(this.keys.journal));
  }

  removeMock(mockId: string): Promise<number> {
    return orUnavailable(this.#redis.mockdJournalRemoveMock(this.keys.journal, mockId));
  }
}
