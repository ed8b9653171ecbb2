// Cluster mode when things fail (README "Cluster mode", "Failure behaviour"): Redis stops and comes back empty, and a
// replica stops answering while still listed.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';
import { hasRedis } from '../helpers/redis.ts';
import { connect as wsConnect } from '../protocols/websocket/helpers.ts';
import { startCluster, type Replica } from './helpers.ts';

const skip = hasRedis ? false : 'redis-server is not installed (apt-get install redis-server)';

const text = async (r: Replica, path: string) => {
  const res = await fetchWithTimeout(`${r.mockUrl}${path}`);
  return `${res.status} ${await res.text()}`;
};

describe('when Redis stops and comes back empty', { skip }, () => {
  test('replicas keep serving, refuse writes with 503, then resync and take writes again', async (t) => {
    const { redis, replicas } = await startCluster(t, ['a', 'b']);
    const [a, b] = replicas as [Replica, Replica];
    await a.createMock({ id: 'http_kept', type: 'http', http: { matcher: { path: '/kept' }, response: { statusCode: 200, body: 'kept' } } });
    await eventually(() => text(b, '/kept'), (s) => s === '200 kept', 10_000);

    await redis.stop();
    const down = await eventually(() => a.api('/health'), (r) => r.body.cluster.redis === 'unreachable');
    assert.deepEqual(down.body.cluster.replicas.map((r: any) => r.id), ['a']);
    assert.equal(await text(a, '/kept'), '200 kept');
    assert.equal(await text(b, '/kept'), '200 kept');
    const refused = await b.api('/mocks', { method: 'POST', body: { type: 'http', http: { matcher: { path: '/new' }, response: { statusCode: 200 } } } });
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error, 'worker_unavailable');
    assert.match(refused.body.message, /Redis\) is unreachable/);
    assert.equal((await a.api('/mocks/http_kept', { method: 'DELETE' })).status, 503);
    const journal = await a.api('/requests');
    assert.equal(journal.status, 503);
    assert.match(journal.body.message, /shared journal cannot be read/);
    assert.equal(await text(b, '/kept'), '200 kept');

    await redis.restart();
    await eventually(() => Promise.all([a.api('/health'), b.api('/health')]), (rs) => rs.every((r) => r.body.cluster.redis === 'connected' && r.body.cluster.replicas.length === 2), 10_000);
    // The empty Redis was seeded again from a replica: the mock set survived, and writes work on both sides.
    const created = await eventually(
      () => b.api('/mocks', { method: 'POST', body: { id: 'http_after', type: 'http', http: { matcher: { path: '/after' }, response: { statusCode: 200, body: 'after' } } } }),
      (r) => r.status === 201,
      10_000,
    );
    assert.equal(created.status, 201);
    assert.equal(await eventually(() => text(a, '/after'), (s) => s === '200 after', 10_000), '200 after');
    const updated = await a.api('/mocks/http_kept', { method: 'PUT', body: { type: 'http', http: { matcher: { path: '/kept' }, response: { statusCode: 200, body: 'kept v2' } } } });
    assert.equal(updated.status, 200);
    assert.equal(await eventually(() => text(b, '/kept'), (s) => s === '200 kept v2', 10_000), '200 kept v2');
  });
});

describe('when a replica stops answering but is still listed', { skip }, () => {
  test('a call routed to it gets 503 naming it, and listings leave it out', async (t) => {
    const { replicas } = await startCluster(t, ['a', 'b']);
    const [a, b] = replicas as [Replica, Replica];
    await a.createMock({ id: 'ws_frozen', type: 'websocket', websocket: { path: '/frozen', echoMode: true } });
    await eventually(() => b.api('/mocks/ws_frozen'), (r) => r.status === 200, 10_000);
    await eventually(() => wsConnect(t, `${b.mockUrl.replace('http', 'ws')}/frozen`).catch(() => undefined), (x) => x !== undefined, 10_000);
    const [conn] = (await eventually(() => a.api('/websocket/connections'), (r) => r.body.connections.length === 1)).body.connections;
    b.child.kill('SIGSTOP');
    t.after(() => b.child.kill('SIGCONT'));
    const started = Date.now();
    const res = await a.api(`/websocket/connections/${conn.id}`);
    const took = Date.now() - started;
    // Its heartbeat key lives up to 3 s after its last beat: within that, the call waits the 2 s bound, then 503.
    if (res.status === 404) {
      assert.ok(took < 500, 'a 404 only when b had already dropped out of the registry');
    } else {
      assert.equal(res.status, 503);
      assert.match(res.body.message, /replica b did not answer within 2000 ms/);
    }
    const list = await a.api('/websocket/connections');
    assert.equal(list.body.connections.length, 0);
  });
});

describe('when a replica shuts down cleanly', { skip }, () => {
  test('it leaves the registry at once and exits 0', async (t) => {
    const { replicas } = await startCluster(t, ['a', 'b']);
    const [a, b] = replicas as [Replica, Replica];
    await eventually(() => a.api('/health'), (r) => r.body.cluster.replicas.length === 2, 10_000);
    assert.equal(await b.stop('SIGTERM'), 0);
    // No waiting for the heartbeat to expire: b removed its key on the way out; a sees it on its next beat (1 s).
    const health = await eventually(() => a.api('/health'), (r) => r.body.cluster.replicas.length === 1, 2500);
    assert.deepEqual(health.body.cluster.replicas.map((r: any) => r.id), ['a']);
  });
});
