// mqtt.proxy mocks and snapshots of MQTT traffic (issue 21), against a real aedes broker with a publisher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { eventually, startMockd } from '../helpers/mockd.ts';
import { deferred, within } from '../helpers/wait.ts';
import { connectMqtt, nextMqttMessage } from '../journal/helpers.ts';
import { assertGapsClose, gapsOf, journalGaps, startMqttUpstream } from './helpers.ts';

const TICK_GAPS = [70, 140, 100];

/** Collects `count` messages with their arrival times (ms since the call). */
async function collect(client: MqttClient, count: number): Promise<{ topic: string; payload: string; retain: boolean; at: number }[]> {
  const started = performance.now();
  const out: { topic: string; payload: string; retain: boolean; at: number }[] = [];
  const done = deferred<void>();
  const onMessage = (topic: string, payload: Buffer, packet: { retain: boolean }) => {
    out.push({ topic, payload: payload.toString(), retain: packet.retain, at: performance.now() - started });
    if (out.length === count) done.resolve();
  };
  (client as unknown as EventEmitter).on('message', onMessage);
  await within(done.promise, `${count} MQTT messages`, 8000);
  (client as unknown as EventEmitter).off('message', onMessage);
  return out;
}

/** The upstream publisher: `tick 1` at once, then the others after TICK_GAPS. */
async function publishTicks(publisher: MqttClient): Promise<void> {
  for (let i = 0; i <= TICK_GAPS.length; i++) {
    if (i > 0) await within(new Promise((r) => setTimeout(r, TICK_GAPS[i - 1])), 'a publisher pause');
    await within(publisher.publishAsync('sensors/t', `tick ${i + 1}`, { qos: 1 }), 'a publish upstream');
  }
}

test('bridges both ways through an mqtt.proxy mock, journals with proxied: true, and replays the snapshot with its timing', async (t) => {
  const upstream = await startMqttUpstream(t);
  const m = await startMockd(t);
  // Retained before the bridge subscribes: MQTT 3.1.1 §3.3.1.3 keeps the retain flag only on messages sent because of
  // a new subscription, so only these reach the bridge marked retained.
  const publisher = await connectMqtt(t, upstream.port, 'publisher');
  await within(publisher.publishAsync('sensors/status', 'online', { qos: 1, retain: true }), 'the retained publish');
  const proxy = await m.createMock({ id: 'mq', mqtt: { port: 0, proxy: { upstream: upstream.url, topics: ['sensors/#', 'cmd/#'] } } });
  // The retained message reaches the bridge when it subscribes, during the create.
  await eventually(async () => (await m.api('/requests?mockId=mq&topic=sensors/status')).body.total, (n: number) => n >= 1);

  const sub = await connectMqtt(t, proxy.mqtt.port, 'local-sub');
  const retained = nextMqttMessage(sub);
  await within(sub.subscribeAsync('sensors/#', { qos: 1 }), 'the subscribe');
  const first = await retained;
  assert.deepEqual([first.topic, first.payload.toString(), first.retain], ['sensors/status', 'online', true]);

  const ticks = collect(sub, TICK_GAPS.length + 1);
  await publishTicks(publisher);
  const live = await ticks;
  assert.deepEqual(live.map((x) => x.payload), ['tick 1', 'tick 2', 'tick 3', 'tick 4']);

  // A publish to the mock goes upstream, once.
  const upstreamSub = await connectMqtt(t, upstream.port, 'upstream-sub');
  await within(upstreamSub.subscribeAsync('cmd/#', { qos: 1 }), 'the upstream subscribe');
  const cmd = nextMqttMessage(upstreamSub);
  await within(sub.publishAsync('cmd/go', 'now', { qos: 1 }), 'a publish to the mock');
  assert.equal((await cmd).payload.toString(), 'now');
  const entries = (await m.api('/requests?protocol=mqtt&mockId=mq')).body.requests;
  assert.ok(entries.length > 0 && entries.every((e: any) => e.proxied === true));
  assert.ok(entries.some((e: any) => e.mqtt.clientId === '$upstream' && e.mqtt.direction === 'out' && e.mqtt.topic === 'cmd/go'));
  assert.equal(entries.filter((e: any) => e.mqtt.clientId === '$upstream' && e.mqtt.direction === 'in' && e.mqtt.topic === 'cmd/go').length, 0, 'the echo of our own publish is not taken in');

  const snap = await m.api('/recordings/snapshot', { method: 'POST', body: { filter: { protocol: 'mqtt', mockId: 'mq' }, timing: 'original', stopProxies: true } });
  assert.equal(snap.status, 201, JSON.stringify(snap.body));
  assert.equal(snap.body.created, 1);
  await upstream.stop();
  const replayPort = snap.body.mocks[0].mqtt.port;
  const again = await connectMqtt(t, replayPort, 'local-sub-2');
  await within(again.subscribeAsync('sensors/#', { qos: 1 }), 'the subscribe to the replay');
  const replayed = await collect(again, 5);
  assert.deepEqual(replayed.map((x) => [x.topic, x.payload]), [['sensors/status', 'online'], ...live.map((x) => ['sensors/t', x.payload])]);
  const recorded = entries.filter((e: any) => e.mqtt.clientId === '$upstream' && e.mqtt.direction === 'in' && e.mqtt.topic === 'sensors/t');
  assertGapsClose(gapsOf(replayed.slice(1).map((x) => x.at)).slice(1), journalGaps(recorded), 'replayed MQTT');
});
