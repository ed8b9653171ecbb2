// Cluster mode for one broker, with aedes's own Redis building blocks: mqemitter-redis carries each PUBLISH to the
// brokers of the same mock on every replica, and aedes-persistence-redis keeps retained messages, subscriptions and
// sessions (QoS > 0 queues, wills) where every replica finds them. Both live under `<prefix>:mqtt:<mock id>:`, so two
// MQTT mocks never see each other's topics, and several clusters can share one Redis.

import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import { Readable } from 'node:stream';
import type { AedesOptions } from 'aedes';

// Both are CommonJS without types. aedes 1.x needs the async persistence interface (aedes docs/MIGRATION.md):
// aedes-persistence-redis 12's main export wraps its async class in the old callback interface, so the async class
// is taken directly. Its streams are async generators, where aedes 1.2 pipes Node streams (as aedes-persistence 11's
// in-memory one returns): those five methods are wrapped in Readable.from.
const require = createRequire(import.meta.url);
const { MQEmitterRedisPrefix } = require('mqemitter-redis') as { MQEmitterRedisPrefix: new (prefix: string, opts: object) => unknown };
const AsyncRedisPersistence = require('aedes-persistence-redis/asyncPersistence.js') as new (opts: object) => Record<string, (...a: unknown[]) => unknown>;

const STREAMS = ['createRetainedStreamCombi', 'createRetainedStream', 'outgoingStream', 'streamWill', 'getClientList'] as const;

function redisPersistence(opts: object): unknown {
  const persistence = new AsyncRedisPersistence(opts);
  for (const name of STREAMS) {
    const original = persistence[name]!.bind(persistence);
    persistence[name] = (...args: unknown[]) => {
      const out = original(...args) as AsyncIterable<unknown> | Readable;
      return out instanceof Readable ? out : Readable.from(out);
    };
  }
  return persistence;
}

export interface SharedRedis {
  url: string;
  prefix: string;
}

function connectionOf(shared: SharedRedis) {
  const url = new URL(shared.url);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db,
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * Who sends a mock's scheduled messages (README "Cluster mode"). Every replica runs the same broker, and a PUBLISH on
 * one reaches the subscribers of all, so only one replica may send the schedule: the holder of a short lease in Redis
 * (`<prefix>:mqtt:<mock id>:scheduler`, 6 s, renewed every 2 s). When the holder dies another takes it within 6 s.
 */
export interface ScheduleLease {
  /** Resolves once the first attempt to take the lease is done. */
  readonly ready: Promise<void>;
  readonly held: boolean;
  close(): void;
}

const LEASE_MS = 6000;
const RENEW_MS = 2000;
// Takes the lease when free, or extends it when this holder has it.
const TAKE_OR_RENEW = `
local v = redis.call('GET', KEYS[1])
if v == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export function scheduleLease(shared: SharedRedis, mockId: string): ScheduleLease {
  const key = `${shared.prefix}:mqtt:${mockId}:scheduler`;
  const token = randomUUID();
  const redis = new Redis({ ...connectionOf(shared), lazyConnect: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  let held = false;
  let closed = false;
  const attempt = () =>
    (redis.eval(TAKE_OR_RENEW, 1, key, token, String(LEASE_MS)) as Promise<number>).then(
      (won) => void (held = won === 1 && !closed),
      () => void (held = false),
    );
  const ready = attempt();
  const timer = setInterval(() => void attempt(), RENEW_MS);
  timer.unref();
  return {
    ready,
    get held() {
      return held;
    },
    close() {
      closed = true;
      held = false;
      clearInterval(timer);
      void (redis.eval(RELEASE, 1, key, token) as Promise<unknown>).catch(() => undefined).finally(() => redis.disconnect());
    },
  };
}

/** The `mq` and `persistence` options of one mock's broker. */
export function sharedBrokerState(shared: SharedRedis, mockId: string): Pick<AedesOptions, 'mq' | 'persistence'> {
  const namespace = `${shared.prefix}:mqtt:${mockId}:`;
  const connection = connectionOf(shared);
  return {
    mq: new MQEmitterRedisPrefix(namespace, { ...connection }) as unknown as AedesOptions['mq'],
    persistence: redisPersistence({ ...connection, keyPrefix: namespace }) as AedesOptions['persistence'],
  };
}
