// Black-box: MQTT mocks and connections through a real mockd (admin API → coordinator → mqtt worker).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { startMockd } from '../../helpers/mockd.ts';
import { closed, collect, connect } from './helpers.ts';

/** A port that was free a moment ago (for mocks that need a fixed, non-zero port). */
async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening', { signal: AbortSignal.timeout(5000) });
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close', { signal: AbortSignal.timeout(5000) });
  return port;
}

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('MQTT through the admin API', () => {
  test('serves a mock created with port 0 and lists, gets, counts and closes its clients', async (t) => {
    const mockd = await startMockd(t);
    const mock = await mockd.createMock({
      type: 'mqtt',
      mqtt: { port: 0, topics: [{ topic: 'greeting', retain: true, messages: [{ payload: 'hello {{topic}}' }] }] },
    });
    const ports = await mockd.api('/ports');
    const listener = ports.body.ports.find((p: { mockId?: string }) => p.mockId === mock.id);
    assert.equal(listener?.protocol, 'mqtt');
    assert.equal(listener?.component, 'mqtt-broker');
    assert.equal(listener?.status, 'listening');
    const port: number = listener.port;
    assert.ok(port > 0);

    const client = await connect(t, port, { clientId: 'sensor-7' });
    const inbox = collect(client);
    await client.subscribeAsync('greeting');
    assert.equal((await inbox.next())[0]!.payload, 'hello greeting');

    const list = await mockd.api('/mqtt-connections');
    assert.equal(list.status, 200);
    assert.equal(list.body.connections.length, 1);
    const conn = list.body.connections[0];
    assert.match(conn.connectedAt, ISO_MS);
    assert.deepEqual(
      { ...conn, connectedAt: 'ts', remoteAddr: conn.remoteAddr.split(':')[0] },
      {
        id: 'sensor-7', mockId: mock.id, brokerId: mock.id, port, connectedAt: 'ts', subscriptions: ['greeting'],
        protocolVersion: 4, remoteAddr: '127.0.0.1', status: 'connected',
      },
    );
    assert.equal(list.body.stats.connectedClients, 1);

    const stats = await mockd.api('/mqtt-connections/stats');
    assert.deepEqual(stats.body, {
      connectedClients: 1, totalConnections: 1, totalSubscriptions: 1, topicCount: 1, port, tlsEnabled: false,
      authEnabled: false, subscriptionsByClient: { 'sensor-7': 1 }, connectionsByMock: { [mock.id]: 1 },
    });

    assert.deepEqual((await mockd.api('/mqtt-connections/sensor-7')).body, conn);
    const scoped = await mockd.api(`/mocks/${mock.id}/mqtt/connections`);
    assert.deepEqual(scoped.body, { connections: [conn], count: 1, mockId: mock.id });

    const gone = closed(client);
    const del = await mockd.api('/mqtt-connections/sensor-7', { method: 'DELETE' });
    assert.deepEqual(del.body, { message: 'Connection closed', connection: 'sensor-7' });
    await gone;
    assert.equal((await mockd.api('/mqtt-connections/sensor-7')).status, 404);
    assert.deepEqual((await mockd.api('/mqtt-connections/sensor-7', { method: 'DELETE' })).body, {
      error: 'not_found',
      message: 'Connection not found',
    });
  });

  test('disconnects clients on update and serves the new topics on the same port', async (t) => {
    const mockd = await startMockd(t);
    const mock = await mockd.createMock({ type: 'mqtt', mqtt: { port: 0, topics: [{ topic: 'v', retain: true, messages: [{ payload: 'one' }] }] } });
    const port = (await mockd.api('/ports')).body.ports.find((p: { mockId?: string }) => p.mockId === mock.id).port;
    const client = await connect(t, port, { clientId: 'watcher' });
    const gone = closed(client);

    const put = await mockd.api(`/mocks/${mock.id}`, {
      method: 'PUT',
      body: { type: 'mqtt', mqtt: { port: 0, topics: [{ topic: 'v', retain: true, messages: [{ payload: 'two' }] }] } },
    });
    assert.equal(put.status, 200);
    await gone;
    assert.deepEqual((await mockd.api('/mqtt-connections')).body.connections, []);

    const again = await connect(t, port);
    const inbox = collect(again);
    await again.subscribeAsync('v');
    assert.equal((await inbox.next())[0]!.payload, 'two');
  });

  test('closes every client of one mock through the mock-scoped route', async (t) => {
    const mockd = await startMockd(t);
    const a = await mockd.createMock({ type: 'mqtt', mqtt: { port: 0 } });
    const b = await mockd.createMock({ type: 'mqtt', mqtt: { port: 0 } });
    const ports = (await mockd.api('/ports')).body.ports as { mockId?: string; port: number }[];
    const portOf = (id: string) => ports.find((p) => p.mockId === id)!.port;
    const a1 = await connect(t, portOf(a.id), { clientId: 'a1' });
    const b1 = await connect(t, portOf(b.id), { clientId: 'b1' });
    const gone = closed(a1);
    const del = await mockd.api(`/mocks/${a.id}/mqtt/connections`, { method: 'DELETE' });
    assert.deepEqual(del.body, { message: 'Connections closed', closed: 1, mockId: a.id });
    await gone;
    assert.equal(b1.connected, true);
    assert.deepEqual((await mockd.api('/mqtt-connections')).body.connections.map((c: { id: string }) => c.id), ['b1']);
  });

  test('merges a create on an MQTT mock\'s port into it and refuses a topic it already has', async (t) => {
    const mockd = await startMockd(t);
    const port = await freePort();
    const target = await mockd.createMock({ type: 'mqtt', mqtt: { port, topics: [{ topic: 'a' }] } });
    const merged = await mockd.api('/mocks', {
      method: 'POST',
      body: { type: 'mqtt', mqtt: { port, topics: [{ topic: 'b', onPublish: { response: { payload: 'got {{payload}}' } } }] } },
    });
    assert.equal(merged.status, 200);
    assert.equal(merged.body.action, 'merged');
    assert.equal(merged.body.targetMockId, target.id);
    assert.deepEqual(merged.body.addedTopics, ['b']);
    assert.equal(merged.body.totalTopics, 2);

    // The merged topic is live on the restarted broker.
    const client = await connect(t, port);
    const inbox = collect(client);
    await client.subscribeAsync('b');
    await client.publishAsync('b', 'x');
    assert.deepEqual((await inbox.next(2)).map((m) => m.payload), ['x', 'got x']);

    const conflict = await mockd.api('/mocks', { method: 'POST', body: { type: 'mqtt', mqtt: { port, topics: [{ topic: 'a' }] } } });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.error, 'topic_conflict');
  });

  test('answers 409 port_unavailable for a port another process holds and stores nothing', async (t) => {
    const mockd = await startMockd(t);
    const blocker = net.createServer().listen(0, '127.0.0.1');
    t.after(() => blocker.close());
    await once(blocker, 'listening', { signal: AbortSignal.timeout(5000) });
    const { port } = blocker.address() as net.AddressInfo;
    const r = await mockd.api('/mocks', { method: 'POST', body: { type: 'mqtt', mqtt: { port } } });
    assert.equal(r.status, 409);
    assert.equal(r.body.error, 'port_unavailable');
    assert.equal((await mockd.api('/mocks?type=mqtt')).body.total, 0);
  });

  test('rejects an invalid spec with a dotted field path', async (t) => {
    const mockd = await startMockd(t);
    const r = await mockd.api('/mocks', { method: 'POST', body: { type: 'mqtt', mqtt: { port: 1883, topics: [{ topic: 'a/+', messages: [{ payload: 'x' }] }] } } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'validation_error');
    assert.match(r.body.field, /^mqtt\.topics(\[0\]|\.0)\.topic$/);
  });
});
