import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import type { ConnectionEvent } from '../../../src/contract/protocols.ts';
import { createMqttHost } from '../../../src/protocols/mqtt/host.ts';
import { WAIT_MS, applyMock, closed, collect, connect, connectRefused, mqttMock, startHost } from './helpers.ts';

async function occupiedPort(t: import('node:test').TestContext): Promise<number> {
  const blocker = net.createServer();
  blocker.listen(0, '127.0.0.1');
  await once(blocker, 'listening', { signal: AbortSignal.timeout(WAIT_MS) });
  t.after(() => blocker.close());
  return (blocker.address() as net.AddressInfo).port;
}

describe('the MQTT host', () => {
  test('accepts only mqtt mocks', async (t) => {
    const host = await startHost(t);
    assert.equal(host.accepts(mqttMock('m')), true);
    assert.equal(host.accepts({ ...mqttMock('h'), type: 'http' }), false);
  });

  test('reports each running broker as a runtime and a listener', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_ports'));
    assert.ok(port > 0);
    assert.deepEqual(host.runtimes(), [{ mockId: 'mqtt_ports', kind: 'mqtt', port, path: '', status: 'running' }]);
    assert.deepEqual(host.listeners(), [{ port, protocol: 'mqtt', component: 'mqtt-broker', mockId: 'mqtt_ports', status: 'listening' }]);
  });

  test('rejects port_unavailable for a port another server holds, and registers nothing', async (t) => {
    const host = await startHost(t);
    const port = await occupiedPort(t);
    await assert.rejects(host.apply(mqttMock('mqtt_busy', { port })), { code: 'port_unavailable' });
    assert.deepEqual(host.runtimes(), []);
    assert.deepEqual(host.listeners(), []);
  });

  test('keeps a running broker untouched when an update asks for a busy port', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_keep'));
    const client = await connect(t, port);
    const busy = await occupiedPort(t);
    await assert.rejects(host.apply(mqttMock('mqtt_keep', { port: busy })), { code: 'port_unavailable' });
    assert.equal(client.connected, true);
    assert.deepEqual(host.listeners().map((l) => l.port), [port]);
  });

  describe('when a mock is updated', () => {
    test('disconnects its clients, restarts on the same port with the new topics, and leaves other brokers alone', async (t) => {
      const host = await startHost(t);
      const events: ConnectionEvent[] = [];
      t.after(host.manager.onEvent((e) => events.push(e)));
      const port = await applyMock(host, mqttMock('mqtt_upd', { topics: [{ topic: 'old', retain: true, messages: [{ payload: 'v1' }] }] }));
      const otherPort = await applyMock(host, mqttMock('mqtt_other'));
      const client = await connect(t, port, { clientId: 'upd-client' });
      const other = await connect(t, otherPort, { clientId: 'other-client' });
      const gone = closed(client);

      const runtime = await host.apply(mqttMock('mqtt_upd', { topics: [{ topic: 'new', retain: true, messages: [{ payload: 'v2' }] }] }));
      assert.equal(runtime.port, port, 'a port-0 mock keeps its assigned port');
      await gone;
      assert.equal(other.connected, true);
      assert.deepEqual(host.manager.list().map((c) => c.id), ['other-client']);
      assert.deepEqual(
        events.filter((e) => e.type === 'connection.closed'),
        [{ type: 'connection.closed', protocol: 'mqtt', id: 'upd-client', mockId: 'mqtt_upd', reason: 'mock_changed' }],
      );

      // Retained messages do not survive the restart; the new config's retained message is there.
      const again = await connect(t, port);
      const inbox = collect(again);
      await again.subscribeAsync('#');
      const [msg] = await inbox.next();
      assert.deepEqual([msg!.topic, msg!.payload], ['new', 'v2']);
    });

    test('applies new auth settings after the restart', async (t) => {
      const host = await startHost(t);
      const port = await applyMock(host, mqttMock('mqtt_auth_upd'));
      await connect(t, port);
      await host.apply(mqttMock('mqtt_auth_upd', { port, auth: { enabled: true, users: [{ username: 'u', password: 'p' }] } }));
      const err = await connectRefused(t, port);
      assert.equal(err.code, 4);
    });
  });

  describe('when a mock is removed', () => {
    test('disconnects its clients and stops listening', async (t) => {
      const host = await startHost(t);
      const port = await applyMock(host, mqttMock('mqtt_rm'));
      const client = await connect(t, port);
      const gone = closed(client);
      await host.remove('mqtt_rm');
      await gone;
      assert.deepEqual(host.listeners(), []);
      assert.deepEqual(host.manager.list(), []);
      const probe = net.connect(port, '127.0.0.1');
      const [err] = await once(probe, 'error', { signal: AbortSignal.timeout(WAIT_MS) });
      assert.equal((err as NodeJS.ErrnoException).code, 'ECONNREFUSED');
    });

    test('treats an unknown mock id as nothing to do', async (t) => {
      const host = await startHost(t);
      await host.remove('mqtt_unknown');
      assert.deepEqual(host.runtimes(), []);
    });

    test('stops the broker when the mock is applied disabled', async (t) => {
      const host = await startHost(t);
      const port = await applyMock(host, mqttMock('mqtt_off'));
      const client = await connect(t, port);
      const gone = closed(client);
      await host.apply({ ...mqttMock('mqtt_off'), enabled: false });
      await gone;
      assert.deepEqual(host.listeners(), []);
    });
  });

  test('disconnects everyone with reason shutdown on close', async (t) => {
    const host = await createMqttHost({ host: '127.0.0.1', baseDir: process.cwd() });
    const reasons: (string | undefined)[] = [];
    host.managers[0]!.onEvent((e) => e.type === 'connection.closed' && reasons.push(e.reason));
    const port = (await host.apply(mqttMock('mqtt_shutdown'))).port!;
    const client = await connect(t, port);
    const gone = closed(client);
    await host.close();
    await gone;
    assert.deepEqual(reasons, ['shutdown']);
    assert.deepEqual(host.listeners(), []);
  });
});
