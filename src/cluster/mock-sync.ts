// Mocks in a cluster: Redis holds the set and a version per mock; this replica's store is a copy (README "Cluster
// mode"). A write is validated and applied here, then stored by one Lua script that checks and bumps the version
// atomically and publishes the change; every replica then makes its copy of that mock what Redis holds. Reads of Redis
// and applies run in the coordinator's write queue, so a replica applies each version at most once and never goes
// back to an older one.

import type { Redis } from 'ioredis';
import { MockdError, notFound } from '../errors.ts';
import type { Mock } from '../mocks/types.ts';
import type { MockChanges } from '../coordinator/mock-changes.ts';
import type { MockReplication } from '../coordinator/cluster-hooks.ts';
import type { Logger } from '../coordinator/registrations.ts';
import type { ClusterKeys } from './keys.ts';

// KEYS: mocks hash, versions hash, change channel. ARGV: kind (create|update|delete), id, mock JSON, replica.
// create needs the id absent, update and delete need it present (someone else may have deleted it). Returns
// {1, new version} or {0, current version}.
const WRITE_SCRIPT = `
local cur = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
local exists = redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1
local kind = ARGV[1]
if kind == 'create' and exists then return {0, cur} end
if (kind == 'update' or kind == 'delete') and not exists then return {0, cur} end
local nv = cur + 1
if kind == 'delete' then redis.call('HDEL', KEYS[1], ARGV[2]) else redis.call('HSET', KEYS[1], ARGV[2], ARGV[3]) end
redis.call('HSET', KEYS[2], ARGV[2], nv)
redis.call('PUBLISH', KEYS[3], cjson.encode({id = ARGV[2], version = nv, replica = ARGV[4]}))
return {1, nv}
`;

// KEYS: seeded flag, mocks hash, versions hash, change channel. ARGV: replica, then id and mock JSON pairs. The first
// replica to reach an empty Redis stores its mocks in one step, so no other replica ever sees half a seed.
const SEED_SCRIPT = `
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
for i = 2, #ARGV, 2 do
  local v = redis.call('HINCRBY', KEYS[3], ARGV[i], 1)
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  redis.call('PUBLISH', KEYS[4], cjson.encode({id = ARGV[i], version = v, replica = ARGV[1]}))
end
return 1
`;

type WriteKind = 'create' | 'update' | 'delete';

export class ClusterMocks implements MockReplication {
  /** The version of each mock this replica serves (deleted mocks keep theirs). */
  readonly #versions = new Map<string, number>();
  /** Mocks changed here whose change Redis did not take: put right on the next resync, whatever the versions say. */
  readonly #dirty = new Set<string>();
  writable = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
    private readonly self: string,
    private readonly changes: MockChanges,
    private readonly mocks: () => Mock[],
    private readonly log: Logger,
  ) {
    redis.defineCommand('mockdWrite', { numberOfKeys: 3, lua: WRITE_SCRIPT });
    redis.defineCommand('mockdSeed', { numberOfKeys: 4, lua: SEED_SCRIPT });
  }

  versionOf(id: string): number {
    return this.#versions.get(id) ?? 0;
  }

  checkWritable(): void {
    if (!this.writable) {
      throw new MockdError('worker_unavailable', 'cluster store (Redis) is unreachable: mock changes are refused until it returns; mocks keep serving');
    }
  }

  async #write(kind: WriteKind, id: string, mock?: Mock): Promise<[number, number]> {
    const run = (this.redis as unknown as { mockdWrite(...a: string[]): Promise<[number, number]> }).mockdWrite;
    return run.call(this.redis, this.keys.mocks, this.keys.versions, this.keys.mockChanges, kind, id, mock ? JSON.stringify(mock) : '', this.self);
  }

  async stored(kind: 'create' | 'update' | 'delete', id: string, mock?: Mock): Promise<void> {
    let result: [number, number];
    try {
      result = await this.#write(kind, id, mock);
    } catch (err) {
      this.#dirty.add(id);
      throw new MockdError('worker_unavailable', `cluster store (Redis) is unreachable, the change was not stored: ${(err as Error).message}`);
    }
    const [ok, version] = result;
    if (ok === 1) {
      this.#versions.set(id, version);
      return;
    }
    // Another replica got there first: this replica takes what Redis holds (after this write's turn in the queue).
    this.#dirty.add(id);
    void this.reconcile(id).catch(() => undefined);
    if (kind === 'create') throw new MockdError('duplicate_id', `a mock with id ${id} already exists (created on another replica)`, 'id');
    throw notFound();
  }

  /** A change announced on the channel: fetch it unless this replica already has that version. */
  onChange(raw: string): void {
    const { id, version } = JSON.parse(raw) as { id: string; version: number };
    if (version <= this.versionOf(id)) return;
    void this.reconcile(id).catch((err) => this.log('warn', `cluster: could not apply mock ${id}: ${(err as Error).message}`));
  }

  /**
   * Makes this replica's copy of one mock what Redis holds, if Redis has a newer version (or `force`: a resync, where
   * a Redis that restarted empty numbers versions afresh). The same mock under a new number only takes the number, so
   * its clients are not disconnected for nothing.
   */
  reconcile(id: string, force = false): Promise<void> {
    return this.changes.adopt(id, async () => {
      const [[, json], [, v]] = (await this.redis.multi().hget(this.keys.mocks, id).hget(this.keys.versions, id).exec()) as [[null, string | null], [null, string | null]];
      const version = Number(v ?? 0);
      if (!force && version <= this.versionOf(id) && !this.#dirty.has(id)) return undefined;
      this.#versions.set(id, version);
      this.#dirty.delete(id);
      const here = this.mocks().find((m) => m.id === id);
      if (json && here && JSON.stringify(here) === json) return undefined;
      if (!json && !here) return undefined;
      return { mock: json ? (JSON.parse(json) as Mock) : undefined };
    });
  }

  /**
   * Joining (start, or Redis came back): the first replica of a cluster seeds it with the mocks it started with (all
   * at once); every replica then takes the cluster's set, changing only what differs. Resyncs run one at a time.
   */
  resync(): Promise<void> {
    const run = () => this.#resync();
    this.#resyncing = this.#resyncing.then(run, run);
    return this.#resyncing;
  }

  #resyncing: Promise<void> = Promise.resolve();

  async #resync(): Promise<void> {
    const seed = this.mocks().flatMap((m) => [m.id, JSON.stringify(m)]);
    const run = (this.redis as unknown as { mockdSeed(...a: string[]): Promise<number> }).mockdSeed;
    const seeded = await run.call(this.redis, this.keys.seeded, this.keys.mocks, this.keys.versions, this.keys.mockChanges, this.self, ...seed);
    if (seeded === 1) this.log('info', `cluster: seeded with ${this.mocks().length} mock(s) from this replica`);
    const [[, all], [, versions]] = (await this.redis.multi().hgetall(this.keys.mocks).hgetall(this.keys.versions).exec()) as [[null, Record<string, string>], [null, Record<string, string>]];
    const ids = new Set([...Object.keys(all), ...this.mocks().map((m) => m.id), ...this.#dirty]);
    // Created first, in creation order, so listings keep the order they have on the replica that wrote them.
    const ordered = [...ids].sort((a, b) => createdAt(all[a]).localeCompare(createdAt(all[b])));
    for (const id of ordered) {
      const inRedis = Number(versions[id] ?? 0);
      const here = this.mocks().some((m) => m.id === id);
      if (inRedis !== this.versionOf(id) || this.#dirty.has(id) || (here && !(id in all))) await this.reconcile(id, true);
    }
  }
}

function createdAt(json: string | undefined): string {
  if (!json) return '';
  try {
    return (JSON.parse(json) as Mock).createdAt ?? '';
  } catch {
    return '';
  }
}
