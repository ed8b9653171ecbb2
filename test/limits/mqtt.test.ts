// MQTT limits (README "Limits"): `--max-connections` across every broker, a mock's `maxConnections` for its broker
// (both refuse with CONNACK 3 "server unavailable", then close), and `maxMessageSize` on PUBLISH payloads.

import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import mqtt, { type IClientOptions } from 'mqtt';
import { eventually, startMockd } from '../helpers/mockd.ts';
import { closed, collect, connect, nextEvent } from '../protocols/mqtt/helpers.ts';
import { deferred, within } from '../helpers/wait.ts';

/** A CONNECT the broker refuses: resolves with the CONNACK return code once the connection has also closed. */
async function refusedConnect(t: TestContext, port: number, clientId: string, options: IClientOptions = {}): Promise<number | undefined> {
  const client = mqtt.connect({ host: '127.0.0.1', port, clientId, protocolVersion: 4, reconnectPeriod: 0, ...options });
  t.after(() => client.end(true));
  // Not events.once for 'close': it would reject on the 'error' that comes first.
  const closing = deferred();
  client.once('close', () => closing.resolve());
  const [err] = (await nextEvent(client, 'error')) as [Error & { code?: number }];
  await within(closing.promise, 'the refused connection closing');
  return err.code;
}

async function mqttPort(m: { createMock(mock: unknown): Promise<any> }, id: string, spec: Record<string, unknown> = {}): Promise<number> {
  const mock = await m.createMock({ id, type: 'mqtt', mqtt: { port: 0, ...spec } });
  return mock.mqtt.port;
}

type Mockd = Awaited<ReturnType<typeof startMockd>>;

/** One mockd for the tests of a describe block that need no --max-connections; closed after the block. */
function sharedMockd(): () => Mockd {
  let m: Mockd | undefined;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    m = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
  });
  after(async () => {
    for (const fn of cleanups) await fn();
  });
  return () => m!;
}

describe('with --max-connections 2', () => {
  test('refuses a third client across two brokers with CONNACK 3 and accepts again once one left', async (t) => {
    const m = await startMockd(t, { maxConnections: 2 });
    const portA = await mqttPort(m, 'mqtt_a');
    const portB = await mqttPort(m, 'mqtt_b');
    const first = await connect(t, portA, { clientId: 'one' });
    await connect(t, portB, { clientId: 'two' });

    assert.equal(await refusedConnect(t, portA, 'three'), 3);
    assert.equal(await refusedConnect(t, portB, 'four'), 3);

    // A refused client never was a connection: not listed, not counted.
    const list = (await m.api('/mqtt-connections')).body;
    assert.deepEqual(list.connections.map((c: { id: string }) => c.id).sort(), ['one', 'two']);
    assert.equal(list.stats.totalConnections, 2);
    assert.equal(list.stats.connectedClients, 2);

    first.end();
    await closed(first);
    await eventually(() => m.api('/mqtt-connections/stats'), (r) => r.body.connectedClients === 1);
    await connect(t, portB, { clientId: 'five' });
    assert.equal((await m.api('/mqtt-connections/stats')).body.totalConnections, 3);
  });

  test('frees the slots of clients closed by the admin API', async (t) => {
    const m = await startMockd(t, { maxConnections: 1 });
    const port = await mqttPort(m, 'mqtt_admin');
    await connect(t, port, { clientId: 'held' });
    assert.equal(await refusedConnect(t, port, 'waiting'), 3);
    assert.equal((await m.api('/mqtt-connections/held', { method: 'DELETE' })).status, 200);
    await connect(t, port, { clientId: 'waiting' });
  });
});

describe('a mock with maxConnections', () => {
  const mockd = sharedMockd();

  test('refuses clients of that broker past its cap with CONNACK 3, leaving other brokers open', async (t) => {
    const m = mockd();
    const small = await mqttPort(m, 'mqtt_small', { maxConnections: 1 });
    const other = await mqttPort(m, 'mqtt_other');
    const s1 = await connect(t, small, { clientId: 's1' });
    assert.equal(await refusedConnect(t, small, 's2'), 3);
    await connect(t, other, { clientId: 'o1' });
    await connect(t, other, { clientId: 'o2' });
    const { mqtt_small, mqtt_other } = (await m.api('/mqtt-connections/stats')).body.connectionsByMock;
    assert.deepEqual({ mqtt_small, mqtt_other }, { mqtt_small: 1, mqtt_other: 2 });

    s1.end();
    await closed(s1);
    await eventually(() => m.api('/mocks/mqtt_small/mqtt/connections'), (r) => r.body.count === 0);
    await connect(t, small, { clientId: 's3' });
  });

  test('answers a bad password with CONNACK 4 without using a slot, and with CONNACK 3 once full', async (t) => {
    const m = mockd();
    const auth = { enabled: true, users: [{ username: 'u', password: 'p' }] };
    const port = await mqttPort(m, 'mqtt_auth', { maxConnections: 1, auth });
    const badPassword = { username: 'u', password: 'wrong' };
    assert.equal(await refusedConnect(t, port, 'bad-1', badPassword), 4);
    await connect(t, port, { clientId: 'ok', username: 'u', password: 'p' });
    // Full: the server is unavailable whoever asks, so credentials are not even checked.
    assert.equal(await refusedConnect(t, port, 'bad-2', badPassword), 3);
  });

  test('rejects a negative or fractional maxConnections with 400 validation_error', async (t) => {
    const m = mockd();
    for (const bad of [-1, 1.5, '2']) {
      const r = await m.api('/mocks', { method: 'POST', body: { type: 'mqtt', mqtt: { port: 0, maxConnections: bad } } });
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.equal(r.body.error, 'validation_error');
      assert.equal(r.body.field, 'mqtt.maxConnections');
    }
  });
});

describe('a mock with maxMessageSize', () => {
  const mockd = sharedMockd();

  test('delivers a payload of exactly that size, and drops a larger PUBLISH and disconnects its sender', async (t) => {
    const m = mockd();
    const port = await mqttPort(m, 'mqtt_msg', { maxMessageSize: 8 });
    const subscriber = await connect(t, port, { clientId: 'sub' });
    const inbox = collect(subscriber);
    await subscriber.subscribeAsync('t/#');
    const sender = await connect(t, port, { clientId: 'pub' });

    await sender.publishAsync('t/ok', '12345678', { qos: 1 });
    assert.deepEqual((await inbox.next(1)).map((r) => r.payload), ['12345678']);

    sender.publish('t/big', '123456789', { qos: 0 });
    await closed(sender);
    // The next message proves the big one was never routed: it would have arrived first.
    const other = await connect(t, port, { clientId: 'pub2' });
    await other.publishAsync('t/after', 'after', { qos: 1 });
    assert.deepEqual((await inbox.next(2)).map((r) => r.topic), ['t/ok', 't/after']);
    await eventually(() => m.api('/mqtt-connections'), (r) => !r.body.connections.some((c: { id: string }) => c.id === 'pub'));
  });

  test('rejects a maxMessageSize above the protocol maximum of 268435455 with 400', async (t) => {
    const m = mockd();
    const r = await m.api('/mocks', { method: 'POST', body: { type: 'mqtt', mqtt: { port: 0, maxMessageSize: 268_435_456 } } });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'mqtt.maxMessageSize');
  });
});
