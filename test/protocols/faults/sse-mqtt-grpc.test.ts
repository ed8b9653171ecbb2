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

  test('reset: the client sees UNAVAILABLE', async (t) => {
    const { status, id } = await openChat(t);
    await m.api(`/grpc/connections/${id}/fault`, { method: 'POST', body: { kind: 'reset' } });
    assert.equal((await status).code, grpc.status.UNAVAILABLE);
  });
});
