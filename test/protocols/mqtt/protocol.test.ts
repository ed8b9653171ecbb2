import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { WAIT_MS, applyMock, collect, connect, connectRefused, mqttMock, startHost } from './helpers.ts';

describe('MQTT protocol versions and bad input', () => {
  test('refuses an MQTT 5 CONNECT with return code 1 and closes the connection', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_v5'));
    const err = await connectRefused(t, port, { protocolVersion: 5 });
    assert.equal(err.code, 1);
    assert.deepEqual(host.manager.list(), []);
  });

  test('accepts MQTT 3.1 clients and reports protocolVersion 3', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_v3'));
    await connect(t, port, { protocolVersion: 3, protocolId: 'MQIsdp', clientId: 'old-timer' });
    assert.equal(host.manager.get('old-timer')?.protocolVersion, 3);
  });

  test('drops a socket that sends malformed bytes and keeps serving others', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_garbage'));
    const socket = net.connect(port, '127.0.0.1');
    t.after(() => socket.destroy());
    await once(socket, 'connect', { signal: AbortSignal.timeout(WAIT_MS) });
    socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37]));
    await once(socket, 'close', { signal: AbortSignal.timeout(WAIT_MS) });

    const client = await connect(t, port);
    const inbox = collect(client);
    await client.subscribeAsync('still/alive');
    await client.publishAsync('still/alive', 'yes');
    assert.equal((await inbox.next())[0]!.payload, 'yes');
  });

  test('drops a connection whose first packet is not CONNECT', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_noconnect'));
    const socket = net.connect(port, '127.0.0.1');
    t.after(() => socket.destroy());
    await once(socket, 'connect', { signal: AbortSignal.timeout(WAIT_MS) });
    socket.write(Buffer.from([0xc0, 0x00])); // PINGREQ before CONNECT [MQTT-3.1.0-1]
    await once(socket, 'close', { signal: AbortSignal.timeout(WAIT_MS) });
    assert.deepEqual(host.manager.list(), []);
  });
});
