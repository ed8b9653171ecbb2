// Cluster mode (`mockd start --cluster redis://…`, README "Cluster mode"): this replica joins the others through one
// Redis. Built by an async factory that resolves once the replica has the cluster's mocks and is listed, so nothing
// half-joined escapes. The coordinator sees it only through `coordinator.cluster` (src/coordinator/cluster-hooks.ts).

import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Coordinator, Logger } from '../coordinator/coordinator.ts';
import type { ClusterHealth, ClusterHooks } from '../coordinator/cluster-hooks.ts';
import { connectRedis, parseClusterUrl } from './redis.ts';
import { clusterKeys } from './keys.ts';
import { ClusterMocks } from './mock-sync.ts';
import { ReplicaDirectory } from './replicas.ts';
import { ReplicaRpc } from './rpc.ts';
import { ClusterConnectionRegistry, localConnectionHandlers } from './connections.ts';
import { ClusterEvents } from './events.ts';
import { ClusterJournal } from './journal.ts';

export interface ClusterOptions {
  url: string;
  prefix?: string;
  /** This replica's name in listings (`MOCKD_REPLICA_ID`); default `<hostname>-<admin port>`. */
  replicaId?: string;
  adminUrl: string;
  mockUrl: string;
  journalSize: number;
}

export interface RunningCluster extends ClusterHooks {
  readonly replicaId: string;
  close(): Promise<void>;
}

export function defaultReplicaId(adminPort: number): string {
  return `${hostname()}-${adminPort}`.replace(/[^A-Za-z0-9._-]/g, '-');
}

export async function joinCluster(c: Coordinator, options: ClusterOptions, log: Logger): Promise<RunningCluster> {
  const url = parseClusterUrl(options.url);
  const self = (options.replicaId ?? defaultReplicaId(c.adminPort)).replace(/[^A-Za-z0-9._-]/g, '-');
  const keys = clusterKeys(options.prefix || 'mockd');
  const cmd = await connectRedis(url, `mockd-${self}`);
  let sub: Redis | undefined;
  try {
    sub = await connectRedis(url, `mockd-${self}-sub`);
  } catch (err) {
    cmd.disconnect();
    throw err;
  }
  const replicas = new ReplicaDirectory(cmd, keys, { id: self, adminUrl: options.adminUrl, mockUrl: options.mockUrl, startedAt: new Date().toISOString() });
  const mocks = new ClusterMocks(cmd, keys, self, c.changes, () => c.store.all(), log);
  const rpc = new ReplicaRpc(cmd, keys, self, localConnectionHandlers(c));
  const events = new ClusterEvents(cmd, keys, self, c.bus);
  const journal = new ClusterJournal(cmd, sub, keys, self, c.journal, options.journalSize, log);
  const handlers: Record<string, (raw: string) => void> = {
    [keys.mockChanges]: (m) => mocks.onChange(m),
    [keys.rpc(self)]: (m) => void rpc.onRequest(m).catch(() => undefined),
    [keys.reply(self)]: (m) => rpc.onReply(m),
    [keys.events]: (m) => events.onMessage(m),
    [keys.journalNew]: (m) => journal.onMessage(m),
  };
  sub.on('message', (channel: string, message: string) => {
    try {
      handlers[channel]?.(message);
    } catch (err) {
      log('warn', `cluster: bad message on ${channel}: ${(err as Error).message}`);
    }
  });
  // The journal channel is subscribed only while something here waits for new entries (journal.ts).
  await sub.subscribe(...Object.keys(handlers).filter((ch) => ch !== keys.journalNew));

  let redisUp = true;
  const resync = async () => {
    await replicas.beat();
    await mocks.resync();
    mocks.writable = true;
  };
  await resync();
  await replicas.start();
  await journal.start();
  events.start();

  cmd.on('close', () => {
    if (!redisUp) return;
    redisUp = false;
    mocks.writable = false;
    replicas.forgetPeers();
    log('warn', 'cluster: lost Redis; serving the mocks this replica has, refusing mock changes until it returns');
  });
  cmd.on('ready', () => {
    if (redisUp) return;
    redisUp = true;
    log('info', 'cluster: Redis is back; resyncing');
    resync().catch((err) => log('error', `cluster: resync failed: ${(err as Error).message}`));
  });
  // Changes announced while the subscriber was away were missed: once it is back (and resubscribed), resync again.
  let subLost = false;
  sub.on('close', () => (subLost = true));
  sub.on('ready', () => {
    if (!subLost) return;
    subLost = false;
    if (redisUp) resync().catch((err) => log('error', `cluster: resync failed: ${(err as Error).message}`));
  });

  const hooks: RunningCluster = {
    replicaId: self,
    mocks,
    connections: new ClusterConnectionRegistry(c, replicas, rpc),
    health(): ClusterHealth {
      return { replica: self, redis: redisUp ? 'connected' : 'unreachable', replicas: redisUp ? replicas.view() : replicas.view().slice(0, 1) };
    },
    async close() {
      c.cluster = undefined;
      events.stop();
      journal.stop();
      await replicas.stop();
      cmd.disconnect();
      sub!.disconnect();
    },
  };
  log('info', `cluster: joined as replica ${self} (${url.host}, prefix ${options.prefix || 'mockd'})`);
  return hooks;
}
