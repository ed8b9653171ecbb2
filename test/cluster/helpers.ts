// Three (or more) `mockd start --cluster` subprocesses on one real redis-server, for the cluster tests.

import { after, before } from 'node:test';
import { adminClient, spawnMockd, type Admin, type MockdProcess } from '../helpers/mockd.ts';
import { startRedis, type RedisProcess } from '../helpers/redis.ts';

export type Replica = MockdProcess & Admin & { id: string };

export interface ClusterUnderTest {
  redis: RedisProcess;
  replicas: Replica[];
}

type Ctx = { after(fn: () => unknown): void };

export async function startReplica(t: Ctx, redis: RedisProcess, id: string, env: NodeJS.ProcessEnv = {}): Promise<Replica> {
  const p = await spawnMockd(t, ['--no-persist', '--log-level', 'warn'], { MOCKD_CLUSTER_URL: redis.url, MOCKD_REPLICA_ID: id, ...env });
  return Object.assign(p, adminClient(p.adminUrl), { id });
}

export async function startCluster(t: Ctx, ids: string[]): Promise<ClusterUnderTest> {
  const redis = await startRedis(t);
  const replicas: Replica[] = [];
  // One after the other: the first seeds the cluster, the others join it.
  for (const id of ids) replicas.push(await startReplica(t, redis, id));
  return { redis, replicas };
}

/** A cluster for the tests of one describe block, stopped after it. */
export function sharedCluster(ids: string[]): () => ClusterUnderTest {
  let cluster: ClusterUnderTest | undefined;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    cluster = await startCluster({ after: (fn) => cleanups.push(fn) }, ids);
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });
  return () => cluster!;
}
