// `mockd start --cluster`: the flag is checked as a usage error, an unreachable Redis fails the start with the reason,
// and without the flag nothing of cluster mode appears.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, spawnMockd, adminClient } from '../helpers/mockd.ts';
import { freePort } from '../helpers/redis.ts';

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
