import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMock, nextEvent, closed, collect, connect, connectRefused, mqttMock, startHost } from './helpers.ts';

const auth = {
  enabled: true,
  users: [
    { username: 'admin', password: 's3cret' },
    {
      username: 'sensor',
      password: 'pw',
      acl: [
        { topic: 'sensors/#', access: 'readwrite' },
        { topic: 'cmd/+', access: 'read' },
        { topic: 'sensors/secret/#', access: 'deny' },
      ],
    },
  ],
};

describe('MQTT auth', () => {
  test('refuses a wrong password with CONNACK 4', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_auth_pw', { auth }));
    const err = await connectRefused(t, port, { username: 'admin', password: 'nope' });
    assert.equal(err.code, 4);
  });

  test('refuses a missing username with CONNACK 4', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_auth_anon', { auth }));
    const err = await connectRefused(t, port);
    assert.equal(err.code, 4);
  });

  test('refuses an unknown username with CONNACK 4', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_auth_user', { auth }));
    const err = await connectRefused(t, port, { username: 'mallory', password: 's3cret' });
    assert.equal(err.code, 4);
  });

  test('accepts good credentials, and a user without acl may do anything', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_auth_ok', { auth }));
    const admin = await connect(t, port, { username: 'admin', password: 's3cret' });
    const inbox = collect(admin);
    const granted = await admin.subscribeAsync('#');
    assert.equal(granted[0]!.qos, 0);
    await admin.publishAsync('anything/at/all', 'x');
    assert.equal((await inbox.next())[0]!.topic, 'anything/at/all');
  });

  test('answers SUBACK 0x80 for filters the ACL does not grant or that reach a denied topic', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_acl_sub', { auth }));
    const sensor = await connect(t, port, { username: 'sensor', password: 'pw' });
    const filters = ['sensors/temp', 'cmd/reboot', 'admin/x', 'sensors/#', 'sensors/secret/key', '#'];
    const suback = nextEvent(sensor, 'packetreceive');
    // mqtt.js reports any 0x80 as a subscribe error; the SUBACK itself carries the per-filter codes.
    await assert.rejects(sensor.subscribeAsync(filters), /Subscribe error/);
    const [packet] = (await suback) as [{ cmd: string; granted: number[] }];
    assert.equal(packet.cmd, 'suback');
    assert.deepEqual(packet.granted, [0, 0, 0x80, 0x80, 0x80, 0x80]);
    assert.ok(sensor.connected, 'a refused subscription keeps the connection');
  });

  test('disconnects a client that publishes where its ACL only grants read', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_acl_pub', { auth }));
    const admin = await connect(t, port, { username: 'admin', password: 's3cret' });
    const inbox = collect(admin);
    await admin.subscribeAsync('#');
    const sensor = await connect(t, port, { username: 'sensor', password: 'pw' });
    await sensor.publishAsync('sensors/temp', 'allowed');
    const gone = closed(sensor);
    sensor.publish('cmd/reboot', 'denied');
    await gone;
    await admin.publishAsync('marker', 'end');
    assert.deepEqual((await inbox.next(2)).map((m) => m.payload), ['allowed', 'end']);
  });

  test('lets deny override a grant for PUBLISH', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_acl_deny', { auth }));
    const sensor = await connect(t, port, { username: 'sensor', password: 'pw' });
    const gone = closed(sensor);
    sensor.publish('sensors/secret/key', 'leak');
    await gone;
    assert.deepEqual(host.manager.list(), []);
  });
});
