import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectMqtt, createBroker, nextMqttMessage, requests, sharedMockd, startWait } from './helpers.ts';
import { deferred, within } from '../helpers/wait.ts';

describe('MQTT in the request journal', () => {
  // One mockd for the file; each test has its own broker mock and reads only that mock's entries.
  const mockd = sharedMockd();

  test('records a client PUBLISH as `in` and each delivery as `out`, with the broker mock id and topic match', async (t) => {
    const m = mockd();
    const broker = await createBroker(m, [{ topic: 'sensors/+/temp' }, { topic: 'a/#' }]);
    const sub = await connectMqtt(t, broker.port, 'listener-1');
    await sub.subscribeAsync({ 'sensors/#': { qos: 1 }, 'other/x': { qos: 0 } });
    const pub = await connectMqtt(t, broker.port, 'sensor-7');

    const delivered = nextMqttMessage(sub);
    await pub.publishAsync('sensors/7/temp', '{"t":21}', { qos: 1 });
    await delivered;
    const second = nextMqttMessage(sub);
    await pub.publishAsync('other/x', 'unmatched', { qos: 1 });
    await second;

    const { requests: entries, total } = await requests(m, { mockId: broker.id });
    assert.equal(total, 4);
    const [inMatched, outMatched, inOther, outOther] = entries;
    assert.deepEqual(
      { mockId: inMatched.mockId, matched: inMatched.matched, protocol: inMatched.protocol, mqtt: inMatched.mqtt },
      { mockId: broker.id, matched: true, protocol: 'mqtt', mqtt: { clientId: 'sensor-7', direction: 'in', topic: 'sensors/7/temp', qos: 1, retain: false, payload: '{"t":21}' } },
    );
    assert.deepEqual(outMatched.mqtt, { clientId: 'listener-1', direction: 'out', topic: 'sensors/7/temp', qos: 1, retain: false, payload: '{"t":21}' });
    assert.equal(outMatched.matched, true);
    assert.match(outMatched.id, /^req-\d+$/);
    assert.ok(!Number.isNaN(Date.parse(outMatched.timestamp)));
    // Outside every topics[] filter: still the broker's entry, but not matched. The qos-0 subscription caps delivery.
    assert.deepEqual([inOther.mockId, inOther.matched, inOther.mqtt.direction], [broker.id, false, 'in']);
    assert.deepEqual([outOther.matched, outOther.mqtt.clientId, outOther.mqtt.qos], [false, 'listener-1', 0]);

    const byTopic = await requests(m, { topic: 'other/x' });
    assert.deepEqual(byTopic.requests.map((e) => e.mqtt.direction), ['in', 'out']);
    const byClient = await requests(m, { connectionId: 'sensor-7' });
    assert.deepEqual(byClient.requests.map((e) => e.mqtt.topic), ['sensors/7/temp', 'other/x']);
    const unmatched = await requests(m, { mockId: broker.id, matched: 'false' });
    assert.equal(unmatched.total, 2);
  });

  test('keeps a payload that is not valid UTF-8 as base64 with payloadEncoding "base64"', async (t) => {
    const m = mockd();
    const broker = await createBroker(m);
    const pub = await connectMqtt(t, broker.port, 'binary-1');
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]);
    await pub.publishAsync('a/b', bytes, { qos: 1 });
    await pub.publishAsync('a/b', 'héllo ✓', { qos: 1 });

    const [binary, text] = (await requests(m, { mockId: broker.id })).requests;
    assert.equal(binary.mqtt.payloadEncoding, 'base64');
    assert.deepEqual(Buffer.from(binary.mqtt.payload, 'base64'), bytes);
    assert.equal(text.mqtt.payload, 'héllo ✓');
    assert.equal('payloadEncoding' in text.mqtt, false);
  });

  test('caps a payload over 64 KiB and marks the entry bodyTruncated', async (t) => {
    const m = mockd();
    const broker = await createBroker(m);
    const pub = await connectMqtt(t, broker.port, 'big-1');
    await pub.publishAsync('a/b', 'x'.repeat(70 * 1024), { qos: 1 });
    await pub.publishAsync('a/b', 'y'.repeat(64 * 1024), { qos: 1 });

    const [big, exact] = (await requests(m, { mockId: broker.id })).requests;
    assert.equal(big.bodyTruncated, true);
    assert.equal(big.mqtt.payload.length, 64 * 1024);
    assert.equal(exact.bodyTruncated, undefined);
    assert.equal(exact.mqtt.payload.length, 64 * 1024);
  });

  test('journals scheduled messages only as deliveries, never as `in` from the broker', async (t) => {
    const m = mockd();
    const broker = await createBroker(m, [{ topic: 'tick', qos: 1, messages: [{ payload: 'tick', repeat: true, interval: '50ms' }] }]);
    const sub = await connectMqtt(t, broker.port, 'ticker-sub');
    await sub.subscribeAsync({ tick: { qos: 1 } });
    await nextMqttMessage(sub);

    const entries = (await requests(m, { topic: 'tick' })).requests;
    assert.ok(entries.length >= 1);
    for (const e of entries) {
      assert.deepEqual([e.mockId, e.matched, e.mqtt.direction, e.mqtt.clientId, e.mqtt.qos], [broker.id, true, 'out', 'ticker-sub', 1]);
    }
  });

  test('journals onPublish forwards and responses only as deliveries', async (t) => {
    const m = mockd();
    const broker = await createBroker(m, [{ topic: 'cmd/+', onPublish: { response: { payload: 'ok {{payload}}' }, forward: 'audit/cmd' } }]);
    const audit = await connectMqtt(t, broker.port, 'auditor');
    await audit.subscribeAsync('audit/cmd');
    const caller = await connectMqtt(t, broker.port, 'caller');
    await caller.subscribeAsync('cmd/+');

    const forwarded = nextMqttMessage(audit);
    const answered = deferred();
    caller.on('message', (_topic, payload) => payload.toString() === 'ok run' && answered.resolve());
    await caller.publishAsync('cmd/1', 'run', { qos: 0 });
    await forwarded;
    await within(answered.promise, "the onPublish response 'ok run' reaching the caller");

    const entries = (await requests(m, { mockId: broker.id })).requests;
    const ins = entries.filter((e) => e.mqtt.direction === 'in');
    assert.deepEqual(ins.map((e) => [e.mqtt.clientId, e.mqtt.topic]), [['caller', 'cmd/1']]);
    const outs = entries.filter((e) => e.mqtt.direction === 'out').map((e) => `${e.mqtt.clientId} ${e.mqtt.topic} ${e.mqtt.payload}`);
    assert.ok(outs.includes('auditor audit/cmd run'), JSON.stringify(outs));
    assert.ok(outs.includes('caller cmd/1 ok run'), JSON.stringify(outs));
    assert.ok(outs.includes('caller cmd/1 run'), JSON.stringify(outs));
    assert.equal(entries.find((e) => e.mqtt.topic === 'audit/cmd').matched, false);
  });

  test('journals a retained message sent on SUBSCRIBE as a delivery with retain true', async (t) => {
    const m = mockd();
    const broker = await createBroker(m);
    const pub = await connectMqtt(t, broker.port, 'retainer');
    await pub.publishAsync('a/b', 'kept', { qos: 1, retain: true });
    const late = await connectMqtt(t, broker.port, 'late-sub');
    const got = nextMqttMessage(late);
    await late.subscribeAsync({ 'a/b': { qos: 1 } });
    assert.equal((await got).retain, true);

    const entries = (await requests(m, { mockId: broker.id })).requests;
    assert.deepEqual(
      entries.map((e) => [e.mqtt.clientId, e.mqtt.direction, e.mqtt.retain, e.mqtt.qos]),
      [['retainer', 'in', true, 1], ['late-sub', 'out', true, 1]],
    );
  });

  test("journals a will message as `in` from the client that left it", async (t) => {
    const m = mockd();
    const broker = await createBroker(m, [{ topic: 'a/#' }]);
    const leaver = await connectMqtt(t, broker.port, 'leaver', { will: { topic: 'a/will', payload: Buffer.from('gone'), qos: 0, retain: false } });
    const wait = await startWait(m, { filter: { mockId: broker.id, topic: 'a/will' }, count: 1, timeoutMs: 5000 });
    // An abrupt end (no DISCONNECT) makes the broker publish the will (MQTT 3.1.1 §3.1.2.5).
    leaver.stream.destroy();
    const r = await wait.result;
    assert.equal(r.body.passed, true);
    assert.deepEqual(r.body.requests.map((e: any) => [e.mqtt.clientId, e.mqtt.direction, e.mqtt.payload, e.matched]), [['leaver', 'in', 'gone', true]]);
  });

  test('POST /requests/wait returns as soon as a matching PUBLISH arrives', async (t) => {
    const m = mockd();
    const broker = await createBroker(m);
    const pub = await connectMqtt(t, broker.port, 'late-1');
    // Traffic before the wait is not "newer than the call".
    await pub.publishAsync('a/b', 'before', { qos: 1 });

    const { result, startedAt } = await startWait(m, { filter: { protocol: 'mqtt', topic: 'a/b' }, count: 1, timeoutMs: 5000 });
    await pub.publishAsync('a/c', 'other topic', { qos: 1 });
    await pub.publishAsync('a/b', 'after', { qos: 1 });
    const r = await result;
    const elapsed = performance.now() - startedAt;

    assert.equal(r.status, 200);
    assert.equal(r.body.passed, true);
    assert.deepEqual(r.body.requests.map((e: any) => e.mqtt.payload), ['after']);
    assert.ok(elapsed < 2000, `wait took ${elapsed} ms`);
  });

  test('POST /requests/wait answers passed:false when nothing matches before timeoutMs', async (t) => {
    const m = mockd();
    const broker = await createBroker(m);
    const pub = await connectMqtt(t, broker.port, 'quiet-1');
    const { result, startedAt } = await startWait(m, { filter: { protocol: 'mqtt', topic: 'a/b' }, count: 1, timeoutMs: 300 });
    await pub.publishAsync('x/y', 'not it', { qos: 1 });
    const r = await result;
    const elapsed = performance.now() - startedAt;

    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { passed: false, requests: [] });
    assert.ok(elapsed >= 290 && elapsed < 2000, `wait took ${elapsed} ms`);
  });
});
