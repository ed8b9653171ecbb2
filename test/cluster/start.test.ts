// `mockd start --cluster`: the flag is checked as a usage error, an unreachable Redis fails the start with the reason,
// and without the flag nothing of cluster mode appears.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, spawnMockd, adminClient, tempDir } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';
import { freePort, hasRedis, startRedis } from '../helpers/redis.ts';
import { connect as mqttConnect } from '../protocols/mqtt/helpers.ts';
import { startReplica } from './helpers.ts';

test('a --cluster value that is not a redis:// URL is a usage error (exit 2)', async () => {
  const r = await runCli(['start', '--port', '0', '--admin-port', '0', '--no-persist', '--cluster', 'http://127.0.0.1:6379']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--cluster must be redis:\/\/host:port\[\/db\] or rediss:\/\/host:port\[\/db\]/);
});

test('an unreachable Redis fails the start with exit 1 and the reason', async () => {
  const port = await freePort();
  const r = await runCli(['start', '--port', '0', '--admin-port', '0', '--no-persist'], { env: { MOCKD_CLUSTER_URL: `redis://127.0.0.1:${port}` }, timeoutMs: 30_000 });
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`cannot reach the cluster's Redis at 127\\.0\\.0\\.1:${port}`));
});

test('without --cluster, /health has no cluster block', async (t) => {
  const m = await spawnMockd(t, ['--no-persist']);
  const health = await adminClient(m.adminUrl).api('/health');
  assert.equal(health.status, 200);
  assert.equal(health.body.cluster, undefined);
});

test('a password in the URL is used, and two clusters with their own --cluster-prefix share one Redis apart', { skip: hasRedis ? false : 'redis-server is not installed' }, async (t) => {
  const redis = await startRedis(t, { password: 's3cret' });
  const x = await startReplica(t, redis, 'x', { MOCKD_CLUSTER_PREFIX: 'team-x' });
  const y = await startReplica(t, redis, 'y', { MOCKD_CLUSTER_PREFIX: 'team-y' });
  await x.createMock({ id: 'mqtt_x', type: 'mqtt', mqtt: { port: 0, topics: [] } });
  await y.createMock({ id: 'http_y', type: 'http', http: { matcher: { path: '/y' }, response: { statusCode: 200 } } });
  assert.deepEqual((await x.api('/mocks')).body.mocks.map((m: any) => m.id), ['mqtt_x']);
  assert.deepEqual((await y.api('/mocks')).body.mocks.map((m: any) => m.id), ['http_y']);
  assert.deepEqual((await x.api('/health')).body.cluster.replicas.map((r: any) => r.id), ['x']);
  // The MQTT mock's broker reached Redis with the password too: its client connects and subscribes.
  const client = await mqttConnect(t as any, (await x.api('/mocks/mqtt_x')).body.mqtt.port, { clientId: 'pw' });
  const granted = await client.subscribeAsync('a/b', { qos: 1 });
  assert.equal(granted[0]!.qos, 1);
});

test('the first replica seeds the cluster with its --config mocks; a later one takes the cluster\'s set instead of its own', { skip: hasRedis ? false : 'redis-server is not installed' }, async (t) => {
  const dir = tempDir(t);
  const config = (id: string) => {
    const path = join(dir, `${id}.json`);
    writeFileSync(path, JSON.stringify({ mocks: [{ id, type: 'http', http: { matcher: { path: `/${id}` }, response: { statusCode: 200, body: id } } }] }));
    return path;
  };
  const redis = await startRedis(t);
  const first = await startReplica(t, redis, 'first', { MOCKD_CONFIG: config('http_first') });
  const later = await startReplica(t, redis, 'later', { MOCKD_CONFIG: config('http_later') });
  assert.deepEqual((await later.api('/mocks')).body.mocks.map((m: any) => m.id), ['http_first']);
  const res = await fetchWithTimeout(`${later.mockUrl}/http_later`);
  assert.equal(res.status, 404);
  await res.text();
  assert.deepEqual((await first.api('/mocks')).body.mocks.map((m: any) => m.id), ['http_first']);
});
