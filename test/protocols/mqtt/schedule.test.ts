import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMock, collect, connect, mqttMock, startHost } from './helpers.ts';

describe('scheduled topic messages', () => {
  test('publishes a message after its delay with the topic qos and retain, templating {{topic}}', async (t) => {
    const host = await startHost(t);
    // Retained, so a subscriber that is slower than the delay still gets it (then with the retain flag set).
    const topics = [{ topic: 'status/boot', qos: 1 as const, retain: true, messages: [{ payload: 'up on {{topic}}', delay: '300ms' }] }];
    const started = performance.now();
    const port = await applyMock(host, mqttMock('mqtt_sched', { topics }));
    const sub = await connect(t, port);
    const inbox = collect(sub);
    await sub.subscribeAsync('status/boot', { qos: 1 });
    const [msg] = await inbox.next();
    assert.ok(performance.now() - started >= 299, 'not before the delay');
    // A live delivery clears the retain flag [MQTT-3.3.1-9], and this subscriber may or may not have been in time:
    // what it shows is the topic, payload and qos. The retain flag shows on a subscriber that comes afterwards.
    assert.deepEqual({ topic: msg!.topic, payload: msg!.payload, qos: msg!.qos }, { topic: 'status/boot', payload: 'up on status/boot', qos: 1 });
    const late = await connect(t, port);
    const lateInbox = collect(late);
    await late.subscribeAsync('status/boot', { qos: 1 });
    assert.deepEqual(await lateInbox.next(), [{ topic: 'status/boot', payload: 'up on status/boot', qos: 1, retain: true }]);
  });

  test('repeats a message every interval, rendering the template afresh each time', async (t) => {
    const host = await startHost(t);
    const topics = [{ topic: 'tick', messages: [{ payload: '{{sequence("tick-test")}}', repeat: true, interval: 30 }] }];
    const port = await applyMock(host, mqttMock('mqtt_repeat', { topics }));
    const sub = await connect(t, port);
    const inbox = collect(sub);
    await sub.subscribeAsync('tick');
    const got = await inbox.next(3);
    const counts = got.map((m) => Number(m.payload));
    assert.ok(counts.every(Number.isInteger), `payloads are counters: ${JSON.stringify(got)}`);
    assert.deepEqual(counts, [counts[0]!, counts[0]! + 1, counts[0]! + 2]);
  });

  test('gives a late subscriber a retained scheduled message', async (t) => {
    const host = await startHost(t);
    const topics = [{ topic: 'cfg', retain: true, messages: [{ payload: 'v1' }] }];
    const port = await applyMock(host, mqttMock('mqtt_sched_retained', { topics }));
    // The first subscriber proves the message went out; the second subscribes after it.
    const first = await connect(t, port);
    const firstInbox = collect(first);
    await first.subscribeAsync('cfg');
    await firstInbox.next();
    const late = await connect(t, port);
    const inbox = collect(late);
    await late.subscribeAsync('cfg');
    const [msg] = await inbox.next();
    assert.deepEqual(msg, { topic: 'cfg', payload: 'v1', qos: 0, retain: true });
  });

  test('does not publish on SUBSCRIBE: a late subscriber of a non-retained topic gets only later traffic', async (t) => {
    const host = await startHost(t);
    // With no delay the message goes out when the broker starts, before any client can subscribe.
    const topics = [{ topic: 'once', messages: [{ payload: 'scheduled' }] }];
    const port = await applyMock(host, mqttMock('mqtt_sched_once', { topics }));
    const late = await connect(t, port);
    const inbox = collect(late);
    await late.subscribeAsync('once');
    await late.publishAsync('once', 'marker');
    const [msg] = await inbox.next();
    assert.equal(msg!.payload, 'marker');
  });
});
