// Supervision (issue: reliability): a protocol worker that dies is restarted with its mocks while the other workers
// keep serving. The worker threads are really terminated, not mocked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once, type EventEmitter } from 'node:events';
import { join } from 'node:path';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ROOT, eventually, startMockd } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

const PROTO = join(ROOT, 'test/fixtures/grpc/helloworld.proto');
const Greeter = (grpc.loadPackageDefinition(loadSync(PROTO)) as any).helloworld.Greeter;

function sayHello(port: number): Promise<string> {
  const client = new Greeter(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    client.SayHello({ name: 'x' }, { deadline: Date.now() + 3000 }, (err: Error | null, reply: { message: string }) => {
      client.close();
      if (err) reject(err);
      else resolve(reply.message);
    });
  });
}

async function mqttRoundTrip(client: mqtt.MqttClient, topic: string): Promise<void> {
  const got = once(client as unknown as EventEmitter, 'message', { signal: AbortSignal.timeout(3000) });
  await client.publishAsync(topic, 'ping');
  await got;
}

test('each protocol worker killed is restarted with its mocks within 2 s while the others keep serving', async (t) => {
  const m = await startMockd(t);
  await m.createMock({ id: 'h', http: { matcher: { path: '/alive' }, response: { statusCode: 200, body: 'yes' } } });
  const mq = await m.createMock({ id: 'mq', mqtt: { port: 0, topics: [{ topic: 'probe' }] } });
  const gr = await m.createMock({
    id: 'gr',
    grpc: { port: 0, protoFile: PROTO, services: { 'helloworld.Greeter': { methods: { SayHello: { response: { message: 'hi' } } } } } },
  });
  const mqttPort: number = mq.mqtt.port;
  const grpcPort: number = gr.grpc.port;

  const connectMqtt = async () => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${mqttPort}`, { reconnectPeriod: 0, protocolVersion: 4 });
    t.after(() => c.endAsync(true));
    await once(c as unknown as EventEmitter, 'connect', { signal: AbortSignal.timeout(3000) });
    await c.subscribeAsync('probe');
    return c;
  };
  let mqttClient = await connectMqtt();
  assert.equal(await sayHello(grpcPort), 'hi');

  for (const name of ['grpc', 'mqtt', 'http'] as const) {
    const handle = m.coordinator.pool(name).members[0]!;
    const restartsBefore = handle.restarts;
    const killedAt = performance.now();
    await handle.terminate();

    // The other protocols answer while the killed worker is down or coming back.
    if (name !== 'http') assert.equal(await (await fetchWithTimeout(`${m.mockUrl}/alive`)).text(), 'yes');
    if (name !== 'mqtt') await mqttRoundTrip(mqttClient, 'probe');
    if (name !== 'grpc') assert.equal(await sayHello(grpcPort), 'hi');

    // The killed protocol serves its mocks again, on the same ports.
    if (name === 'grpc') await eventually(() => sayHello(grpcPort).catch(() => 'down'), (v) => v === 'hi', 2000);
    if (name === 'http') await eventually(() => fetchWithTimeout(`${m.mockUrl}/alive`).then((r) => r.text(), () => 'down'), (v) => v === 'yes', 2000);
    if (name === 'mqtt') {
      await eventually(
        () => connectMqtt().then((c) => ((mqttClient = c), 'up'), () => 'down'),
        (v) => v === 'up',
        2000,
      );
      await mqttRoundTrip(mqttClient, 'probe');
    }
    const recoveredMs = performance.now() - killedAt;
    assert.ok(recoveredMs < 2500, `${name} recovered in ${recoveredMs.toFixed(0)} ms`);
    t.diagnostic(`${name} worker back in ${recoveredMs.toFixed(0)} ms`);
    assert.equal(handle.restarts, restartsBefore + 1);
    const health = await m.api('/health');
    assert.equal(health.body.workers[name].state, 'running');
    assert.equal(health.body.workers[name].restarts, 1);
  }

  // Connection ids are never reused, even by a restarted worker.
  await m.createMock({ id: 'ws', websocket: { path: '/ids' } });
  const openWs = async () => {
    const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/ids`);
    t.after(() => ws.terminate());
    await once(ws, 'open', { signal: AbortSignal.timeout(3000) });
    const { body } = await m.api('/websocket/connections');
    return body.connections.at(-1).id as string;
  };
  const before = await openWs();
  await m.coordinator.pool('http').members[0]!.terminate();
  await eventually(() => fetchWithTimeout(`${m.mockUrl}/alive`).then((r) => r.text(), () => 'down'), (v) => v === 'yes', 3000);
  const after = await openWs();
  assert.notEqual(after, before);
  assert.ok(Number(after.slice(3)) > Number(before.slice(3)), `${after} comes after ${before}`);

  // No ghost records: the MQTT client of the dead broker is gone, only the reconnected one is listed.
  const conns = await m.api('/mqtt-connections');
  assert.equal(conns.body.connections.length, 1);
  assert.equal(conns.body.stats.connectedClients, 1);
});
