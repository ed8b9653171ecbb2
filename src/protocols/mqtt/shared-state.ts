// Cluster mode for one broker, with aedes's own Redis building blocks: mqemitter-redis carries each PUBLISH to the
// brokers of the same mock on every replica, and aedes-persistence-redis keeps retained messages, subscriptions and
// sessions (QoS > 0 queues, wills) where every replica finds them. Both live under `<prefix>:mqtt:<mock id>:`, so two
// MQTT mocks never see each other's topics, and several clusters can share one Redis.

import { createRequire } from 'node:module';
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

/** The `mq` and `persistence` options of one mock's broker. */
export function sharedBrokerState(shared: SharedRedis, mockId: string): Pick<AedesOptions, 'mq' | 'persistence'> {
  const namespace = `${shared.prefix}:mqtt:${mockId}:`;
  const url = new URL(shared.url);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  const connection = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db,
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  return {
    mq: new MQEmitterRedisPrefix(namespace, { ...connection }) as unknown as AedesOptions['mq'],
    persistence: redisPersistence({ ...connection, keyPrefix: namespace }) as AedesOptions['persistence'],
  };
}
