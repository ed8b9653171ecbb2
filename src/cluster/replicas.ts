// Which replicas are alive: each writes a heartbeat key with an expiry every HEARTBEAT_MS; a replica whose key has
// expired (it died, or lost Redis) has left. The live list is refreshed on every beat, so a dead replica drops out
// of every other replica's view within HEARTBEAT_TTL_MS + HEARTBEAT_MS (README "Cluster mode").

import type { Redis } from 'ioredis';
import type { ClusterKeys } from './keys.ts';
import type { ReplicaView } from '../coordinator/cluster-hooks.ts';

export const HEARTBEAT_MS = 1000;
export const HEARTBEAT_TTL_MS = 3000;

export interface ReplicaInfo {
  id: string;
  adminUrl: string;
  mockUrl: string;
  startedAt: string;
}

export class ReplicaDirectory {
  #live = new Map<string, ReplicaInfo & { lastSeen: string }>();
  #timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly keys: ClusterKeys,
    readonly self: ReplicaInfo,
  ) {}

  /** Beats once now, then every HEARTBEAT_MS until stopped. */
  async start(): Promise<void> {
    await this.beat();
    this.#timer = setInterval(() => void this.beat().catch(() => undefined), HEARTBEAT_MS);
    this.#timer.unref();
  }

  async beat(): Promise<void> {
    const info = JSON.stringify({ ...this.self, lastSeen: new Date().toISOString() });
    await this.redis.multi().set(this.keys.replica(this.self.id), info, 'PX', HEARTBEAT_TTL_MS).sadd(this.keys.replicas, this.self.id).exec();
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const ids = await this.redis.smembers(this.keys.replicas);
    const values = ids.length ? await this.redis.mget(ids.map((id) => this.keys.replica(id))) : [];
    const live = new Map<string, ReplicaInfo & { lastSeen: string }>();
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const v = values[i];
      if (v) live.set(id, JSON.parse(v));
      else gone.push(id);
    });
    if (gone.length) await this.redis.srem(this.keys.replicas, ...gone);
    this.#live = live;
  }

  /** Live replicas other than this one, as of the last beat. */
  peers(): string[] {
    return [...this.#live.keys()].filter((id) => id !== this.self.id);
  }

  isLive(id: string): boolean {
    return id === this.self.id || this.#live.has(id);
  }

  /** Every live replica, this one first. */
  view(): ReplicaView[] {
    const selfView: ReplicaView = { ...this.self, state: 'self', lastSeen: new Date().toISOString() };
    const others = [...this.#live.values()].filter((r) => r.id !== this.self.id).map((r): ReplicaView => ({ ...r, state: 'up' }));
    return [selfView, ...others.sort((a, b) => a.id.localeCompare(b.id))];
  }

  /** While Redis is away nobody else can be reached: forget the peers until it returns. */
  forgetPeers(): void {
    this.#live = new Map();
  }

  /** Stops beating and leaves at once (a clean shutdown need not wait for the expiry). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.redis.multi().del(this.keys.replica(this.self.id)).srem(this.keys.replicas, this.self.id).exec().catch(() => undefined);
  }
}
