import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectionEvent } from '../../../src/contract/protocols.ts';
import { applyMock, closed, connect, mqttMock, startHost } from './helpers.ts';
import { deferred, within } from '../../helpers/wait.ts';

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('MQTT connections', () => {
  test('lists a connected client with the contract fields, its username and its current filters', async (t) => {
    const host = await startHost(t);
    const auth = { enabled: true, users: [{ username: 'alice', password: 'pw' }] };
    const port = await applyMock(host, mqttMock('mqtt_list', { auth }));
    const client = await connect(t, port, { clientId: 'sensor-7', username: 'alice', password: 'pw' });
    await client.subscribeAsync(['cmd/sensor-7/#', 'tmp']);
    await client.unsubscribeAsync('tmp');

    const [record, ...rest] = host.manager.list();
    assert.deepEqual(rest, []);
    const { connectedAt, remoteAddr, ...stable } = record!;
    assert.match(connectedAt, ISO_MS);
    assert.equal(remoteAddr, `127.0.0.1:${(client.stream as import('node:net').Socket).localPort}`);
    assert.deepEqual(stable, {
      id: 'sensor-7',
      mockId: 'mqtt_list',
      brokerId: 'mqtt_list',
      port,
      subscriptions: ['cmd/sensor-7/#'],
      protocolVersion: 4,
      username: 'alice',
      status: 'connected',
    });
    assert.deepEqual(host.manager.get('sensor-7'), record);
    assert.deepEqual(host.manager.list('mqtt_list'), [record]);
    assert.deepEqual(host.manager.list('mqtt_other'), []);
  });

  test('leaves username out for anonymous clients and lists the id the broker assigned to an empty one', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_anon'));
    await connect(t, port, { clientId: '' });
    const [record] = host.manager.list();
    assert.match(record!.id, /^aedes_/);
    assert.equal('username' in record!, false);
    assert.deepEqual(record!.subscriptions, []);
  });

  test('closes a client by id: its TCP connection ends and it leaves the listing before close resolves', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_close'));
    const client = await connect(t, port, { clientId: 'victim' });
    await connect(t, port, { clientId: 'bystander' });
    const gone = closed(client);
    assert.equal(await host.manager.close('victim', 'admin'), true);
    assert.equal(host.manager.get('victim'), undefined);
    assert.deepEqual(host.manager.list().map((c) => c.id), ['bystander']);
    await gone;
    assert.equal(await host.manager.close('victim', 'admin'), false);
  });

  test('flushes a queued delivery before closing the connection', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_flush'));
    const client = await connect(t, port, { clientId: 'reader' });
    const got: number[] = [];
    client.on('message', (_topic, payload) => got.push(payload.length));
    await client.subscribeAsync('news', { qos: 1 });
    const publisher = await connect(t, port);
    // Large enough that the delivery is still queued in the socket when the close starts.
    const big = Buffer.alloc(8 * 1024 * 1024, 'x');
    await publisher.publishAsync('news', big, { qos: 1 });
    const gone = closed(client);
    await host.manager.close('reader', 'admin');
    await gone;
    assert.deepEqual(got, [big.length]);
  });

  test('gets the oldest session of a client id connected to two brokers and closes both', async (t) => {
    const host = await startHost(t);
    const portA = await applyMock(host, mqttMock('mqtt_a'));
    const portB = await applyMock(host, mqttMock('mqtt_b'));
    const onA = await connect(t, portA, { clientId: 'twin' });
    const onB = await connect(t, portB, { clientId: 'twin' });
    assert.deepEqual(host.manager.list().map((c) => [c.id, c.mockId]), [['twin', 'mqtt_a'], ['twin', 'mqtt_b']]);
    assert.equal(host.manager.get('twin')?.mockId, 'mqtt_a');
    const gone = Promise.all([closed(onA), closed(onB)]);
    assert.equal(await host.manager.close('twin', 'admin'), true);
    assert.deepEqual(host.manager.list(), []);
    await gone;
  });

  test('lists only the newer client when a second client takes over a client id on the same broker', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_takeover'));
    const first = await connect(t, port, { clientId: 'same' });
    const gone = closed(first);
    await connect(t, port, { clientId: 'same' });
    await gone; // [MQTT-3.1.4-2]: the broker disconnects the existing client
    const list = host.manager.list();
    assert.equal(list.length, 1);
    assert.equal(list[0]!.id, 'same');
    assert.equal(host.manager.stats().totalConnections, 2);
  });

  test('closes only the connections of one mock', async (t) => {
    const host = await startHost(t);
    const portA = await applyMock(host, mqttMock('mqtt_a'));
    const portB = await applyMock(host, mqttMock('mqtt_b'));
    await connect(t, portA, { clientId: 'a1' });
    await connect(t, portA, { clientId: 'a2' });
    const b1 = await connect(t, portB, { clientId: 'b1' });
    assert.equal(await host.manager.closeByMock('mqtt_a', 'admin'), 2);
    assert.deepEqual(host.manager.list().map((c) => c.id), ['b1']);
    assert.equal(b1.connected, true);
    assert.equal(await host.manager.closeByMock('mqtt_none', 'admin'), 0);
  });

  test('reports stats across brokers', async (t) => {
    const host = await startHost(t);
    const auth = { enabled: true, users: [{ username: 'u', password: 'p' }] };
    const portA = await applyMock(host, mqttMock('mqtt_a'));
    const portB = await applyMock(host, mqttMock('mqtt_b', { auth }));
    const c1 = await connect(t, portA, { clientId: 'c1' });
    await c1.subscribeAsync(['x/#', 'y']);
    const c2 = await connect(t, portB, { clientId: 'c2', username: 'u', password: 'p' });
    await c2.subscribeAsync('y');
    const c3 = await connect(t, portA, { clientId: 'c3' });
    await c3.endAsync();
    await host.manager.close('c3', 'admin');

    assert.deepEqual(host.manager.stats(), {
      connectedClients: 2,
      totalConnections: 3,
      totalSubscriptions: 3,
      topicCount: 2,
      port: Math.min(portA, portB),
      tlsEnabled: false,
      authEnabled: true,
      subscriptionsByClient: { c1: 2, c2: 1 },
      connectionsByMock: { mqtt_a: 1, mqtt_b: 1 },
    });
  });

  test('reports empty stats with port 0 when no broker runs', async (t) => {
    const host = await startHost(t);
    assert.deepEqual(host.manager.stats(), {
      connectedClients: 0,
      totalConnections: 0,
      totalSubscriptions: 0,
      topicCount: 0,
      port: 0,
      tlsEnabled: false,
      authEnabled: false,
      subscriptionsByClient: {},
      connectionsByMock: {},
    });
  });

  test('emits opened and closed events with the client id and the close reason', async (t) => {
    const host = await startHost(t);
    const events: ConnectionEvent[] = [];
    t.after(host.manager.onEvent((e) => events.push(e)));
    const port = await applyMock(host, mqttMock('mqtt_events'));
    const client = await connect(t, port, { clientId: 'ev' });
    await host.manager.close('ev', 'admin');
    await closed(client);
    assert.deepEqual(events, [
      { type: 'connection.opened', protocol: 'mqtt', id: 'ev', mockId: 'mqtt_events' },
      { type: 'connection.closed', protocol: 'mqtt', id: 'ev', mockId: 'mqtt_events', reason: 'admin' },
    ]);
  });

  test('drops a client from the listing when it disconnects by itself', async (t) => {
    const host = await startHost(t);
    const events: ConnectionEvent[] = [];
    t.after(host.manager.onEvent((e) => events.push(e)));
    const port = await applyMock(host, mqttMock('mqtt_leave'));
    const client = await connect(t, port, { clientId: 'leaver' });
    const left = deferred();
    const off = host.manager.onEvent((e) => e.type === 'connection.closed' && (off(), left.resolve()));
    await client.endAsync();
    await within(left.promise, 'connection.closed for the client that left');
    assert.deepEqual(host.manager.list(), []);
    assert.equal(events.at(-1)?.reason, 'client');
  });
});
