// The Redis connections of one replica (README "Cluster mode"). Commands fail at once while Redis is away (no offline
// queue), so a write is refused with a clear 503 instead of waiting; the client reconnects by itself and the cluster
// resyncs on `ready`.

import { Redis } from 'ioredis';
import { MockdError } from '../errors.ts';

/** Checks a `--cluster` URL: `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
export function parseClusterUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MockdError('validation_error', `--cluster must be a redis:// or rediss:// URL, got ${JSON.stringify(raw)}`, 'cluster');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new MockdError('validation_error', `--cluster must be a redis:// or rediss:// URL, got ${url.protocol}`, 'cluster');
  }
  if (url.pathname.length > 1 && !/^\/\d+$/.test(url.pathname)) {
    throw new MockdError('validation_error', `--cluster: the database must be a number (/0), got ${url.pathname}`, 'cluster');
  }
  return url;
}

/** One client; resolves once connected, or rejects after `timeoutMs` with the reason. */
export async function connectRedis(url: URL, name: string, timeoutMs = 10_000): Promise<Redis> {
  const client = new Redis(url.href, {
    lazyConnect: true,
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Reconnect quickly and keep trying: a replica must resync soon after Redis returns.
    retryStrategy: (times) => Math.min(times * 200, 1000),
  });
  // Errors while Redis is away are expected; the cluster watches `ready`/`close` instead.
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_r, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer from ${url.host} within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    client.disconnect();
    throw new Error(`cannot reach the cluster's Redis at ${url.host}: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  return client;
}
