// Dry runs on the bulk routes, bad onChange input, and the cases where a kept change cannot keep every connection:
// only the affected ones close (README "Mock changes").

import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import mqtt from 'mqtt';
import { eventually, startMockd } from '../helpers/mockd.ts';
import { nextEvent } from '../helpers/wait.ts';
import { greeterClient, grpc, HELLO_PROTO, nextMessage, statusOf } from '../protocols/grpc/helpers.ts';

test('answers 400 with the field for a bad onChange, drainTimeoutMs or dryRun', async (t) => {
  const m = await startMockd(t);
  const base = { id: 'w', type: 'websocket', websocket: { path: '/w' } };
  const bad = await m.api('/mocks', { method: 'POST', body: { ...base, onChange: 'later' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.field, 'onChange');
  assert.match(bad.body.message, /must be one of "close", "drain", "keep"/);
  const negative = await m.api('/mocks', { method: 'POST', body: { ...base, drainTimeoutMs: -1 } });
  assert.equal(negative.status, 400);
  assert.equal(negative.body.field, 'drainTimeoutMs');
  await m.createMock(base);
  const flag = await m.api('/mocks/w?dryRun=maybe', { method: 'DELETE' });
  assert.equal(flag.status, 400);
  assert.equal(flag.body.field, 'dryRun');
  assert.equal((await m.api('/mocks/w')).status, 200);
});

test('bulk dry runs report every change, deletes first with replace, and store nothing', async (t) => {
  const m = await startMockd(t);
  await m.createMock({ id: 'feed', type: 'websocket', websocket: { path: '/feed' } });
  const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/feed`);
  t.after(() => ws.terminate());
  await nextEvent(ws, 'open');
  const [{ id }] = await eventually(async () => (await m.api('/websocket/connections')).body.connections, (c: { id: string }[]) => c.length === 1);

  const batch = [{ id: 'next', type: 'mqtt', mqtt: { port: 0 } }, { id: 'feed', type: 'websocket', websocket: { path: '/feed' } }];
  const plain = await m.api('/mocks/bulk?dryRun=true', { method: 'POST', body: batch });
  assert.equal(plain.status, 200);
  assert.deepEqual(plain.body.failedIds, ['feed'], 'an existing id would fail');
  assert.deepEqual(plain.body.changes.map((c: any) => [c.change, c.mockId, c.ports]), [['create', 'next', { bind: [0], free: [] }]]);

  const replace = await m.api('/mocks/bulk?dryRun=true&replace=true', { method: 'POST', body: batch });
  assert.deepEqual(replace.body.changes.map((c: any) => [c.change, c.mockId]), [['delete', 'feed'], ['create', 'next'], ['create', 'feed']]);
  assert.deepEqual(replace.body.changes[0].connections, { websocket: { close: [id], drain: [], keep: [] } });

  const all = await m.api('/mocks?dryRun=true', { method: 'DELETE' });
  assert.deepEqual(all.body.changes.map((c: any) => [c.change, c.mockId, c.connections]), [['delete', 'feed', { websocket: { close: [id], drain: [], keep: [] } }]]);

  assert.deepEqual((await m.api('/mocks')).body.mocks.map((x: any) => x.id), ['feed'], 'nothing stored or deleted');
  assert.equal(ws.readyState, WebSocket.OPEN);
});

test('gRPC keep: a stream of a method the new version drops closes; a stream of a kept method moves on', async (t) => {
  const m = await startMockd(t);
  const methods = (reply: string, withStream: boolean) => ({
    Chat: { responses: [{ message: reply }] },
    ...(withStream ? { StreamHellos: { streamDelay: '30s', responses: [{ message: 's1' }, { message: 's2' }] } } : {}),
  });
  const mock = (reply: string, withStream: boolean) => ({
    id: 'g', type: 'grpc', onChange: 'keep',
    grpc: { port: 0, protoFile: HELLO_PROTO, services: { 'helloworld.Greeter': { methods: methods(reply, withStream) } } },
  });
  const created = await m.createMock(mock('a', true));
  const client = greeterClient(t, created.grpc.port);
  const chat = client.Chat();
  chat.on('error', () => undefined);
  t.after(() => chat.cancel());
  const server = client.StreamHellos({ name: 'x' });
  server.on('error', () => undefined);
  t.after(() => server.cancel());
  assert.equal((await nextMessage(server)).message, 's1');
  chat.write({ name: 'q' });
  assert.equal((await nextMessage(chat)).message, 'a');
  const streams = (await m.api('/mocks/g/grpc/connections')).body.streams as { id: string; method: string }[];
  const idOf = (method: string) => streams.find((s) => s.method.endsWith(method))!.id;

  const next = { ...mock('b', false), grpc: { ...mock('b', false).grpc, port: created.grpc.port } };
  const dry = await m.api('/mocks/g?dryRun=true', { method: 'PUT', body: next });
  assert.equal(dry.body.action, 'keep');
  assert.deepEqual(dry.body.connections.grpc, { close: [idOf('StreamHellos')], drain: [], keep: [idOf('Chat')] });
  const serverEnd = statusOf(server);
  await m.api('/mocks/g', { method: 'PUT', body: next });
  assert.equal((await serverEnd).code, grpc.status.UNAVAILABLE);
  const reply = nextMessage(chat);
  chat.write({ name: 'q' });
  assert.equal((await reply).message, 'b');
  assert.deepEqual((await m.api('/mocks/g/grpc/connections')).body.streams.map((s: any) => s.id), [idOf('Chat')]);
});

test('MQTT keep: ACLs change in place; a client whose user the new version drops is the only one disconnected', async (t) => {
  const m = await startMockd(t);
  const spec = (aliceTopic: string, withBob: boolean) => ({
    id: 'acl', type: 'mqtt', onChange: 'keep',
    mqtt: {
      port: 0,
      auth: {
        enabled: true,
        users: [
          { username: 'alice', password: 'pw', acl: [{ topic: `${aliceTopic}/#`, access: 'readwrite' }] },
          ...(withBob ? [{ username: 'bob', password: 'pw' }] : []),
        ],
      },
    },
  });
  const created = await m.createMock(spec('old', true));
  const connect = async (username: string) => {
    const c = mqtt.connect(`mqtt://127.0.0.1:${created.mqtt.port}`, { username, password: 'pw', clientId: username, reconnectPeriod: 0, protocolVersion: 4 });
    t.after(() => c.end(true));
    c.on('error', () => undefined);
    await nextEvent(c, 'connect');
    return c;
  };
  const alice = await connect('alice');
  const bob = await connect('bob');
  let aliceClosed = false;
  alice.on('close', () => (aliceClosed = true));

  await assert.rejects(alice.subscribeAsync('new/x'), /Subscribe error/, 'the old ACL refuses new/x (SUBACK 0x80)');
  const bobGone = nextEvent(bob, 'close', 'bob\'s disconnect');
  const put = await m.api('/mocks/acl', { method: 'PUT', body: { ...spec('new', false), mqtt: { ...spec('new', false).mqtt, port: created.mqtt.port } } });
  assert.equal(put.status, 200);
  await bobGone;
  const regranted = await alice.subscribeAsync('new/x');
  assert.equal(regranted[0]!.qos, 0, 'the new ACL lets the same session subscribe to new/x');
  const echoed = nextEvent(alice, 'message', 'alice\'s own publish on new/x');
  await alice.publishAsync('new/x', 'hi');
  assert.equal(String((await echoed)[1]), 'hi');
  assert.equal(aliceClosed, false, 'alice was never disconnected');
  assert.deepEqual((await m.api('/mocks/acl/mqtt/connections')).body.connections.map((c: any) => c.id), ['alice']);
});

test('change entries are listed with ?changes=true, fetched by id, and awaited with POST /requests/wait', async (t) => {
  const m = await startMockd(t);
  await m.createMock({ id: 'h', type: 'http', http: { matcher: { path: '/h' }, response: { statusCode: 200 } } });
  const waiting = m.api('/requests/wait', { method: 'POST', body: { filter: { changes: true, mockId: 'h' }, count: 1, timeoutMs: 5000 } });
  let settled = false;
  void waiting.then(() => (settled = true));
  // The wait counts only entries recorded after it started: dry runs go on until one is seen.
  await eventually(async () => {
    if (settled) return true;
    const dry = await m.api('/mocks/h?dryRun=true', { method: 'DELETE' });
    assert.deepEqual(dry.body.connections, {}, 'a plain HTTP mock has no connections');
    return settled;
  }, (done) => done);
  const waited = await waiting;
  assert.equal(waited.body.passed, true);
  const [entry] = waited.body.requests;
  assert.equal(entry.protocol, 'http');
  assert.equal(entry.change.dryRun, true);
  assert.equal(entry.change.change, 'delete');
  assert.deepEqual((await m.api(`/requests/${entry.id}`)).body, entry);
  assert.ok((await m.api('/requests?changes=true')).body.requests.some((e: any) => e.id === entry.id));
  assert.equal((await m.api('/requests?changes=maybe')).status, 400);
  assert.equal((await m.api('/mocks/h/verify')).body.callCount, 0, 'a change is not a call');
});

test('onChange and drainTimeoutMs are stored, exported and survive a PATCH of other fields', async (t) => {
  const m = await startMockd(t);
  await m.createMock({ id: 'w', type: 'websocket', onChange: 'drain', drainTimeoutMs: 2500, websocket: { path: '/w' } });
  await m.api('/mocks/w', { method: 'PATCH', body: { name: 'renamed' } });
  const stored = (await m.api('/mocks/w')).body;
  assert.equal(stored.onChange, 'drain');
  assert.equal(stored.drainTimeoutMs, 2500);
  const exported: string = (await m.api('/export?format=mockd')).body;
  assert.match(exported, /^ {4}onChange: drain$/m);
  assert.match(exported, /^ {4}drainTimeoutMs: 2500$/m);
});
