// Faults on live SSE streams, MQTT clients and gRPC streams (README "Faults and chaos"), each observed from a real
// client: an SSE close that announces `retry:`, missing events, a reset stream; an MQTT QoS 1 publish left without
// its PUBACK until lifted, and a reset client; a gRPC stream that fails UNAVAILABLE after GOAWAY, closes with the
// chosen status, and misses N messages.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFileMockd } from '../websocket/helpers.ts';
import { openStream, sseMock, ticking } from '../sse/helpers.ts';
import { connect as mqttConnect } from '../mqtt/helpers.ts';
import { grpc, HELLO_PROTO, nextMessage, statusOf } from '../grpc/helpers.ts';
import { loadSync } from '@grpc/proto-loader';
import { deferred, within } from '../../helpers/wait.ts';

const m = await startFileMockd();
const GREETER = 'helloworld.Greeter';
let mqttPort = 0;
let grpcPort = 0;

before(async () => {
  await m.createMock(sseMock('ticks', ticking(30)));
  await m.createMock(sseMock('bye', ticking(30), { faults: { fault: 'close', retryMs: 5000 } }));
  await m.createMock({ id: 'broker', type: 'mqtt', mqtt: { port: 0, topics: [{ topic: 'in', qos: 1 }] } });
  await m.createMock({
    id: 'greeter',
    type: 'grpc',
    grpc: { port: 0, protoFile: HELLO_PROTO, services: { [GREETER]: { methods: { Chat: { response: { message: 'echo {{request.body.name}}' } } } } } },
  });
  const ports = (await m.api('/ports')).body.ports as { mockId?: string; port: number }[];
  mqttPort = ports.find((p) => p.mockId === 'broker')!.port;
  grpcPort = ports.find((p) => p.mockId === 'greeter')!.port;
});

async function newest(list: string, key: string): Promise<string> {
  const all = (await m.api(list)).body[key] as { id: string; clientId?: string }[];
  const last = all[all.length - 1]!;
  return last.clientId ?? last.id;
}

describe('SSE', () => {
  test('close sends the chosen retry: and ends the stream cleanly', async (t) => {
    const reader = await openStream(t, `${m.mockUrl}/ticks`);
    await reader.until('tick-1');
    const id = await newest('/mocks/ticks/sse/connections', 'connections');
    const r = await m.api(`/sse/connections/${id}/fault`, { method: 'POST', body: { kind: 'close', retryMs: 7000 } });
    assert.equal(r.status, 200);
    assert.equal(await reader.end(), 'end');
    assert.match(reader.text, /retry: 7000\n\n$/);
  });

  test("a mock's faults block closes each new stream with its retry:", async (t) => {
    const reader = await openStream(t, `${m.mockUrl}/bye`);
    assert.equal(await reader.end(), 'end');
    assert.match(reader.text, /retry: 5000\n\n$/);
  });

  test('a connection kind on a plain http mock is refused', async () => {
    const r = await m.api('/mocks', { method: 'POST', body: { type: 'http', http: { matcher: { path: '/p' }, response: { statusCode: 200 } }, faults: { fault: 'stall' } } });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'faults.fault');
  });

  test('drop-messages: the next N events never reach the client', async (t) => {
    const reader = await openStream(t, `${m.mockUrl}/ticks`);
    await reader.until('tick-1');
    const id = await newest('/mocks/ticks/sse/connections', 'connections');
    await m.api(`/sse/connections/${id}/fault`, { method: 'POST', body: { kind: 'drop-messages', count: 3 } });
    const last = Number(/tick-(\d+)\n\n$/.exec(await reader.until(/tick-\d+\n\n$/.test.bind(/tick-\d+\n\n$/)))![1]);
    await reader.until(`tick-${last + 5}`);
    const seen = [...reader.text.matchAll(/tick-(\d+)/g)].map((x) => Number(x[1]));
    const missing = [];
    for (let n = 1; n <= last + 5; n++) if (!seen.includes(n)) missing.push(n);
    assert.equal(missing.length, 3, `missing ${JSON.stringify(missing)}`);
  });

  test('stall: no byte arrives until the fault is lifted, then the stream goes on', async (t) => {
    const reader = await openStream(t, `${m.mockUrl}/ticks`);
    await reader.until('tick-2');
    const id = await newest('/mocks/ticks/sse/connections', 'connections');
    await m.api(`/sse/connections/${id}/fault`, { method: 'POST', body: { kind: 'stall' } });
    const frozen = reader.text.length;
    const grew = await reader.until((text) => text.length > frozen + 200, 400).then(() => true, () => false);
    assert.equal(grew, false, 'the stream kept flowing through the stall');
    const at = reader.text.length;
    await m.api(`/sse/connections/${id}/fault`, { method: 'DELETE' });
    await reader.until((text) => text.length > at);
  });

  test('delay: the next event comes delayMs late', async (t) => {
    const reader = await openStream(t, `${m.mockUrl}/ticks`);
    await reader.until('tick-1');
    const id = await newest('/mocks/ticks/sse/connections', 'connections');
    await m.api(`/sse/connections/${id}/fault`, { method: 'POST', body: { kind: 'delay', delayMs: 400 } });
    const count = reader.eventCount;
    const t0 = Date.now();
    await reader.until(() => reader.eventCount > count + 1, 3000);
    assert.ok(Date.now() - t0 >= 350, `an event after ${Date.now() - t0} ms`);
  });

  test('reset: the client reads a broken stream, not a clean end', async (t) => {
    const reader = await openStream(t, `${m.mockUrl}/ticks`);
    await reader.until('tick-1');
    const id = await newest('/mocks/ticks/sse/connections', 'connections');
    await m.api(`/sse/connections/${id}/fault`, { method: 'POST', body: { kind: 'reset' } });
    assert.equal(await reader.end(), 'error');
  });
});

describe('MQTT', () => {
  test('drop-puback: a QoS 1 publish goes unacknowledged until the fault is lifted', async (t) => {
    const client = await mqttConnect(t, mqttPort, { clientId: 'pub-1' });
    const r = await m.api('/mqtt-connections/pub-1/fault', { method: 'POST', body: { kind: 'drop-puback' } });
    assert.equal(r.status, 200);
    const acked = deferred<void>();
    client.publish('in', 'one', { qos: 1 }, () => acked.resolve());
    const early = await within(acked.promise, 'a PUBACK', 400).then(() => true, () => false);
    assert.equal(early, false, 'the PUBACK arrived despite drop-puback');
    assert.equal((await m.api('/mqtt-connections/pub-1/fault', { method: 'DELETE' })).status, 200);
    const second = deferred<void>();
    client.publish('in', 'two', { qos: 1 }, () => second.resolve());
    await within(second.promise, 'the PUBACK after the fault was lifted');
  });

  test('stall, delay and drop-messages hold back or lose what a subscriber receives', async (t) => {
    const sub = await mqttConnect(t, mqttPort, { clientId: 'sub-1' });
    const pub = await mqttConnect(t, mqttPort, { clientId: 'pub-4' });
    const got: string[] = [];
    const waiters: (() => void)[] = [];
    sub.on('message', (_topic, payload) => {
      got.push(payload.toString());
      waiters.splice(0).forEach((w) => w());
    });
    const received = (text: string, ms = 5000) => {
      const arrived = deferred<void>();
      const check = () => (got.includes(text) ? arrived.resolve() : waiters.push(check));
      check();
      return within(arrived.promise, `"${text}" at the subscriber`, ms);
    };
    const subscribed = deferred<void>();
    sub.subscribe('chat', { qos: 0 }, () => subscribed.resolve());
    await within(subscribed.promise, 'the SUBACK');

    await m.api('/mqtt-connections/sub-1/fault', { method: 'POST', body: { kind: 'stall' } });
    pub.publish('chat', 'held');
    assert.equal(await received('held', 400).then(() => true, () => false), false, 'a message got through the stall');
    await m.api('/mqtt-connections/sub-1/fault', { method: 'DELETE' });
    await received('held');

    await m.api('/mqtt-connections/sub-1/fault', { method: 'POST', body: { kind: 'delay', delayMs: 300 } });
    const t0 = Date.now();
    pub.publish('chat', 'late');
    await received('late');
    assert.ok(Date.now() - t0 >= 280, `delivered after ${Date.now() - t0} ms`);
    await m.api('/mqtt-connections/sub-1/fault', { method: 'DELETE' });

    await m.api('/mqtt-connections/sub-1/fault', { method: 'POST', body: { kind: 'drop-messages', count: 1 } });
    pub.publish('chat', 'lost');
    pub.publish('chat', 'kept');
    await received('kept');
    assert.equal(got.includes('lost'), false);
  });

  test('reset: the client loses its connection at once', async (t) => {
    const client = await mqttConnect(t, mqttPort, { clientId: 'pub-2' });
    const gone = deferred<void>();
    client.once('close', () => gone.resolve());
    await m.api('/mqtt-connections/pub-2/fault', { method: 'POST', body: { kind: 'reset' } });
    await within(gone.promise, 'the client closing');
  });

  test('goaway is not an MQTT fault: 400', async (t) => {
    await mqttConnect(t, mqttPort, { clientId: 'pub-3' });
    const r = await m.api('/mqtt-connections/pub-3/fault', { method: 'POST', body: { kind: 'goaway' } });
    assert.equal(r.status, 400);
  });
});

describe('gRPC', () => {
  function chat(t: { after(fn: () => unknown): void }) {
    const pkg = grpc.loadPackageDefinition(loadSync(HELLO_PROTO, { keepCase: true })) as any;
    const client = new pkg.helloworld.Greeter(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure());
    t.after(() => client.close());
    const call = client.Chat();
    t.after(() => call.cancel());
    return call;
  }

  async function openChat(t: { after(fn: () => unknown): void }) {
    const call = chat(t);
    const status = statusOf(call);
    call.write({ name: 'hello' });
    assert.equal((await nextMessage(call)).message, 'echo hello');
    return { call, status, id: await newest('/mocks/greeter/grpc/connections', 'streams') };
  }

  test('goaway: the client sees UNAVAILABLE, and its next call works on a new connection', async (t) => {
    const { status, id } = await openChat(t);
    assert.equal((await m.api(`/grpc/connections/${id}/fault`, { method: 'POST', body: { kind: 'goaway' } })).status, 200);
    assert.equal((await status).code, grpc.status.UNAVAILABLE);
    const again = chat(t);
    again.on('error', () => undefined);
    again.write({ name: 'back' });
    assert.equal((await nextMessage(again)).message, 'echo back');
  });

  test('close ends the stream with the chosen status and details', async (t) => {
    const { status, id } = await openChat(t);
    await m.api(`/grpc/connections/${id}/fault`, { method: 'POST', body: { kind: 'close', code: 8, reason: 'slow down' } });
    const s = await status;
    assert.equal(s.code, grpc.status.RESOURCE_EXHAUSTED);
    assert.equal(s.details, 'slow down');
  });

  test('drop-messages: the next N replies are missing', async (t) => {
    const { call, id } = await openChat(t);
    await m.api(`/grpc/connections/${id}/fault`, { method: 'POST', body: { kind: 'drop-messages', count: 2 } });
    for (const name of ['a', 'b', 'c']) call.write({ name });
    assert.equal((await nextMessage(call)).message, 'echo c');
  });

  test('delay, then stall: replies come late, then not at all until lifted', async (t) => {
    const { call, id } = await openChat(t);
    await m.api(`/grpc/connections/${id}/fault`, { method: 'POST', body: { kind: 'delay', delayMs: 300 } });
    const t0 = Date.now();
    call.write({ name: 'slow' });
    assert.equal((await nextMessage(call)).message, 'echo slow');
    assert.ok(Date.now() - t0 >= 280, `replied after ${Date.now() - t0} ms`);
    await m.api(`/grpc/connections/${id}/fault`, { method: 'DELETE' });
    await m.api(`/grpc/connections/${id}/fault`, { method: 'POST', body: { kind: 'stall' } });
    const reply = nextMessage(call);
    reply.catch(() => undefined);
    call.write({ name: 'held' });
    let arrived = false;
    void reply.then(() => (arrived = true), () => undefined);
    await within(new Promise((r) => setTimeout(r, 400)), 'the stall window');
    assert.equal(arrived, false, 'a reply got through the stall');
    await m.api(`/grpc/connections/${id}/fault`, { method: 'DELETE' });
    assert.equal((await reply).message, 'echo held');
  });

  test('reset: the client sees UNAVAILABLE', async (t) => {
    const { status, id } = await openChat(t);
    await m.api(`/grpc/connections/${id}/fault`, { method: 'POST', body: { kind: 'reset' } });
    assert.equal((await status).code, grpc.status.UNAVAILABLE);
  });
});
