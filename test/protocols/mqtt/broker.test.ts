import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMock, collect, connect, mqttMock, startHost } from './helpers.ts';

describe('an MQTT mock broker', () => {
  test('delivers a client publish to a subscriber of the same topic', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_plain'));
    const sub = await connect(t, port, { clientId: 'sub' });
    const inbox = collect(sub);
    await sub.subscribeAsync('a/b');
    const pub = await connect(t, port, { clientId: 'pub' });
    await pub.publishAsync('a/b', 'hello');
    const [msg] = await inbox.next();
    assert.deepEqual(msg, { topic: 'a/b', payload: 'hello', qos: 0, retain: false });
  });

  test('routes by + and # wildcards', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_wild'));
    const sub = await connect(t, port);
    const inbox = collect(sub);
    await sub.subscribeAsync(['sensors/+/temp', 'logs/#']);
    const pub = await connect(t, port);
    await pub.publishAsync('sensors/kitchen/humidity', 'no');
    await pub.publishAsync('sensors/kitchen/temp', '21');
    await pub.publishAsync('logs', 'root');
    await pub.publishAsync('logs/app/error', 'boom');
    const got = await inbox.next(3);
    assert.deepEqual(
      got.map((m) => `${m.topic}=${m.payload}`),
      ['sensors/kitchen/temp=21', 'logs=root', 'logs/app/error=boom'],
    );
  });

  for (const qos of [0, 1, 2] as const) {
    test(`delivers QoS ${qos} publishes end to end at QoS ${qos}`, async (t) => {
      const host = await startHost(t);
      const port = await applyMock(host, mqttMock(`mqtt_qos${qos}`));
      const sub = await connect(t, port);
      const inbox = collect(sub);
      await sub.subscribeAsync('q', { qos });
      const pub = await connect(t, port);
      // For QoS 1 and 2 this resolves only once the broker acknowledged (PUBACK / PUBCOMP).
      await pub.publishAsync('q', `at ${qos}`, { qos });
      const [msg] = await inbox.next();
      assert.equal(msg!.payload, `at ${qos}`);
      assert.equal(msg!.qos, qos);
    });
  }

  test('gives a late subscriber the retained message', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_retained'));
    const pub = await connect(t, port);
    await pub.publishAsync('state/door', 'open', { retain: true, qos: 1 });
    const late = await connect(t, port);
    const inbox = collect(late);
    await late.subscribeAsync('state/#', { qos: 1 });
    const [msg] = await inbox.next();
    assert.deepEqual(msg, { topic: 'state/door', payload: 'open', qos: 1, retain: true });
  });

  test('publishes a client will when the client drops without DISCONNECT', async (t) => {
    const host = await startHost(t);
    const port = await applyMock(host, mqttMock('mqtt_will'));
    const watcher = await connect(t, port);
    const inbox = collect(watcher);
    await watcher.subscribeAsync('wills/#');
    const dying = await connect(t, port, { clientId: 'dying', will: { topic: 'wills/dying', payload: Buffer.from('gone'), qos: 0, retain: false } });
    (dying.stream as import('node:net').Socket).destroy();
    const [msg] = await inbox.next();
    assert.equal(msg!.topic, 'wills/dying');
    assert.equal(msg!.payload, 'gone');
  });
});
