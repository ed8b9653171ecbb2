// Worker pools (README "Workers"): with `--workers 2`, two http workers share the mock port and two grpc workers each
// gRPC mock's port; MQTT brokers spread over two mqtt workers. Clients land on either member (the kernel spreads
// connections), and the admin API shows one server. Where the runtime cannot share a port (Node < 22.12, or not
// Linux), mockd runs one worker per protocol and the same tests pass; only the "both members seen" checks are
// skipped, and each skip says so in a diagnostic.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once, type EventEmitter } from 'node:events';
import mqtt from 'mqtt';
import { eventually, startMockd } from '../helpers/mockd.ts';
import { wsMock } from '../protocols/websocket/helpers.ts';
import { sseMock, ticking } from '../protocols/sse/helpers.ts';
import { grpc, HELLO_PROTO, nextMessage, statusOf } from '../protocols/grpc/helpers.ts';
import {
  assertBothMembers,
  assertOldestFirst,
  CLIENTS,
  getFresh,
  grpcMock,
  openChat,
  openSse,
  ownConnectionClient,
  RUNTIME_SHARES_PORT,
  wsClients,
} from './pool-helpers.ts';

describe('with --workers 2', () => {
  test('WebSocket, SSE, gRPC and MQTT clients of both members appear in one list, oldest first, each with its worker', async (t) => {
    const m = await startMockd(t, { workers: 2 });
    await m.createMock(wsMock('ws', { path: '/ws', echoMode: true }));
    await m.createMock(sseMock('ticks', ticking(50)));
    const grpcPort = await grpcMock(m, 'gr');

    await wsClients(t, m, '/ws', CLIENTS);
    await Promise.all(Array.from({ length: CLIENTS }, () => openSse(t, `${m.mockUrl}/ticks`)));
    await Promise.all(Array.from({ length: CLIENTS }, () => openChat(t, ownConnectionClient(t, grpcPort))));

    const ws = (await m.api('/websocket/connections')).body.connections;
    const sse = (await m.api('/sse/connections')).body.connections;
    const streams = (await m.api('/grpc/connections')).body.streams;
    for (const [records, kind] of [[ws, 'http'], [sse, 'http'], [streams, 'grpc']] as const) {
      assert.equal(records.length, CLIENTS);
      assertOldestFirst(records);
      assertBothMembers(t, records, kind);
    }
    // Ids stay unique across members.
    assert.equal(new Set(ws.map((r: any) => r.id)).size, CLIENTS);
    // Stats sum the members.
    assert.equal((await m.api('/websocket/stats')).body.activeConnections, CLIENTS);

    // One gRPC port (a port-0 mock got one port for the whole pool), and the mock port listed once.
    const ports = (await m.api('/ports')).body.ports;
    assert.equal(ports.filter((p: any) => p.port === grpcPort).length, 1);
    assert.equal(ports.filter((p: any) => p.port === m.mockPort).length, 1);

    // MQTT: each broker lives on one mqtt member; two brokers spread over both.
    const brokers = [await m.createMock({ id: 'mq1', mqtt: { port: 0 } }), await m.createMock({ id: 'mq2', mqtt: { port: 0 } })];
    for (const b of brokers) {
      const c = mqtt.connect(`mqtt://127.0.0.1:${b.mqtt.port}`, { reconnectPeriod: 0 });
      t.after(() => c.endAsync(true));
      await once(c as unknown as EventEmitter, 'connect', { signal: AbortSignal.timeout(5000) });
    }
    const mq = (await m.api('/mqtt-connections')).body.connections;
    assert.equal(mq.length, 2);
    assertBothMembers(t, mq, 'mqtt');

    const health = (await m.api('/health')).body.workers;
    if (RUNTIME_SHARES_PORT) assert.deepEqual(health.http.members.map((w: any) => w.worker), ['http-1', 'http-2']);
    else assert.equal(health.http.members, undefined);
  });

  test('close and send reach the member that holds the connection', async (t) => {
    const m = await startMockd(t, { workers: 2 });
    await m.createMock(wsMock('ws', { path: '/ws', echoMode: true }));
    const clients = await wsClients(t, m, '/ws', CLIENTS);
    const records = (await m.api('/websocket/connections')).body.connections as { id: string; worker?: string }[];
    // The clients opened in parallel: match records to clients by a message sent through the admin API.
    const byWorker = new Map<string | undefined, { id: string; worker?: string }>();
    for (const r of records) byWorker.set(r.worker, r);
    for (const record of byWorker.values()) {
      const sent = await m.api(`/websocket/connections/${record.id}/send`, { method: 'POST', body: { type: 'text', data: `to ${record.id}` } });
      assert.equal(sent.status, 200);
      const receivers = await Promise.all(clients.map((c) => c.next(1000).then((f) => f.text, () => undefined)));
      assert.deepEqual(receivers.filter(Boolean), [`to ${record.id}`], 'exactly one client got the message');
      const target = clients[receivers.indexOf(`to ${record.id}`)]!;
      const closed = await m.api(`/websocket/connections/${record.id}`, { method: 'DELETE' });
      assert.equal(closed.status, 200);
      assert.equal((await target.closed()).code, 1000);
      assert.equal((await m.api(`/websocket/connections/${record.id}`)).status, 404);
    }
    if (RUNTIME_SHARES_PORT) assert.equal(byWorker.size, 2, 'one connection of each member was sent to and closed');
    assert.equal((await m.api('/websocket/connections')).body.connections.length, CLIENTS - byWorker.size);
    assert.equal((await m.api('/websocket/connections/ws-99999', { method: 'DELETE' })).status, 404);
  });

  test('closing an SSE stream or a gRPC stream by id ends exactly that client, on whichever member holds it', async (t) => {
    const m = await startMockd(t, { workers: 2 });
    await m.createMock(sseMock('ticks', ticking(50)));
    const port = await grpcMock(m, 'gr');
    const readers = await Promise.all(Array.from({ length: 8 }, () => openSse(t, `${m.mockUrl}/ticks`)));
    const chats = await Promise.all(Array.from({ length: 8 }, () => openChat(t, ownConnectionClient(t, port))));
    let sseEnded = 0;
    let grpcEnded = 0;
    for (const r of readers) void r.ended.then(() => sseEnded++);
    for (const c of chats) void statusOf(c).then(() => grpcEnded++, () => undefined);

    for (const [list, route, listKey, ended] of [
      ['/sse/connections', '/sse/connections', 'connections', () => sseEnded],
      ['/grpc/connections', '/grpc/connections', 'streams', () => grpcEnded],
    ] as const) {
      const records = (await m.api(list)).body[listKey] as { id: string; worker?: string }[];
      const oneEach = [...new Map(records.map((r) => [r.worker, r])).values()];
      if (RUNTIME_SHARES_PORT) assert.equal(oneEach.length, 2, `${list}: a record on each member`);
      for (const [i, record] of oneEach.entries()) {
        assert.equal((await m.api(`${route}/${record.id}`, { method: 'DELETE' })).status, 200);
        await eventually(ended, (n) => n === i + 1, 5000);
        assert.equal((await m.api(`${route}/${record.id}`)).status, 404);
      }
      assert.equal((await m.api(list)).body[listKey].length, records.length - oneEach.length);
    }
  });

  test('a mock update gives every client of that mock its goodbye on both members and touches no other mock', async (t) => {
    const m = await startMockd(t, { workers: 2 });
    await m.createMock(wsMock('a', { path: '/a', echoMode: true }));
    await m.createMock(wsMock('b', { path: '/b', echoMode: true }));
    await m.createMock(sseMock('sa', ticking(50)));
    const grpcPort = await grpcMock(m, 'ga');
    const otherGrpcPort = await grpcMock(m, 'gb');
    const a = await wsClients(t, m, '/a', CLIENTS);
    const b = await wsClients(t, m, '/b', 4);
    const streams = await Promise.all(Array.from({ length: 6 }, () => openSse(t, `${m.mockUrl}/sa`)));
    const chats = await Promise.all(Array.from({ length: 6 }, () => openChat(t, ownConnectionClient(t, grpcPort))));
    const otherChats = await Promise.all(Array.from({ length: 2 }, () => openChat(t, ownConnectionClient(t, otherGrpcPort))));
    assertBothMembers(t, (await m.api('/mocks/a/websocket/connections')).body.connections, 'http');

    const chatStatus = chats.map((c) => statusOf(c));
    for (const id of ['a', 'sa', 'ga']) {
      const r = await m.api(`/mocks/${id}`, { method: 'PATCH', body: { name: `${id} v2` } });
      assert.equal(r.status, 200);
    }
    for (const c of a) assert.equal((await c.closed()).code, 1012);
    for (const s of streams) assert.equal(await s.end(), 'end');
    for (const s of await Promise.all(chatStatus)) assert.equal(s.code, grpc.status.UNAVAILABLE);

    // The other mocks' clients are untouched and still served.
    for (const c of b) {
      c.ws.send('still here');
      assert.equal((await c.next()).text, 'still here');
    }
    for (const chat of otherChats) {
      chat.write({ name: 'ping' });
      assert.equal((await nextMessage(chat)).message, 'pong');
    }
    assert.equal((await m.api('/mocks/b/websocket/connections')).body.connections.length, 4);
    assert.equal((await m.api('/mocks/a/websocket/connections')).body.connections.length, 0);
  });

  test('a port-0 gRPC mock keeps its one port through an update and a disable/enable, answered by every member', async (t) => {
    const m = await startMockd(t, { workers: 2 });
    const port = await grpcMock(m, 'gp');
    const sayHello = (client: any) =>
      new Promise<string>((resolve, reject) =>
        client.SayHello({ name: 'x' }, { deadline: Date.now() + 5000 }, (err: Error | null, reply: { message: string }) => (err ? reject(err) : resolve(reply.message))),
      );
    const answers = async (expected: string) => {
      for (let i = 0; i < 8; i++) assert.equal(await sayHello(ownConnectionClient(t, port)), expected);
    };
    await answers('hi');
    const services = { 'helloworld.Greeter': { methods: { SayHello: { response: { message: 'v2' } } } } };
    assert.equal((await m.api('/mocks/gp', { method: 'PATCH', body: { grpc: { port: 0, protoFile: HELLO_PROTO, services } } })).status, 200);
    assert.equal((await m.api('/mocks/gp')).body.grpc.port, port);
    await answers('v2');
    assert.equal((await m.api('/mocks/gp', { method: 'PATCH', body: { enabled: false } })).status, 200);
    assert.equal((await m.api('/mocks/gp', { method: 'PATCH', body: { enabled: true } })).status, 200);
    assert.equal((await m.api('/mocks/gp')).body.grpc.port, port);
    await answers('v2');
    const listeners = (await m.api('/ports')).body.ports.filter((p: any) => p.port === port);
    assert.equal(listeners.length, 1);
  });

  test('a killed member comes back while the other keeps serving the port, and its connections leave the lists at once', async (t) => {
    const m = await startMockd(t, { workers: 2 });
    await m.createMock({ id: 'alive', http: { matcher: { path: '/alive' }, response: { statusCode: 200, body: 'yes' } } });
    await m.createMock(wsMock('ws', { path: '/ws', echoMode: true }));
    await wsClients(t, m, '/ws', CLIENTS);
    const pool = m.coordinator.pool('http');
    const victim = pool.members[pool.members.length - 1]!;
    const restartsBefore = victim.restarts;
    await victim.terminate();

    // The listing skips the dead member at once; what is left belongs to the live one.
    const left = (await m.api('/websocket/connections')).body.connections as { worker?: string }[];
    if (RUNTIME_SHARES_PORT) {
      assert.ok(left.length < CLIENTS, `the dead member's clients left the list (${left.length} left)`);
      assert.ok(left.every((r) => r.worker === 'http-1'));
      // The other member keeps answering on the port while the dead one is restarted.
      for (let i = 0; i < 10; i++) assert.equal((await getFresh(`${m.mockUrl}/alive`)).body, 'yes');
    } else {
      t.diagnostic(`Node ${process.versions.node}: one http worker, so the port is down until it is back`);
      assert.equal(left.length, 0);
    }
    await eventually(() => victim.state, (s) => s === 'running', 10_000);
    assert.equal(victim.restarts, restartsBefore + 1);
    await eventually(() => getFresh(`${m.mockUrl}/alive`).then((r) => r.body, () => 'down'), (v) => v === 'yes', 5000);
    // The restarted member serves the WebSocket mock again.
    const again = await wsClients(t, m, '/ws', CLIENTS);
    assert.equal(again.length, CLIENTS);
    const health = (await m.api('/health')).body.workers.http;
    assert.equal(health.state, 'running');
    assert.equal(health.restarts, restartsBefore + 1);
  });

  test('the journal and verify count the requests served by both members', async (t) => {
    const m = await startMockd(t, { workers: 2 });
    await m.createMock({ id: 'hello', http: { matcher: { path: '/hello' }, response: { statusCode: 200, body: 'hi' } } });
    const N = 24;
    for (let i = 0; i < N; i++) assert.equal((await getFresh(`${m.mockUrl}/hello`)).status, 200);
    const perMember = await Promise.all(m.coordinator.pool('http').members.map((w) => w.call('journalQuery', { mockId: 'hello' })));
    const counts = perMember.map((entries) => entries.length);
    t.diagnostic(`requests per http member: ${counts.join(', ')}`);
    assert.equal(counts.reduce((x, y) => x + y, 0), N);
    if (RUNTIME_SHARES_PORT) assert.ok(counts.every((c) => c > 0), 'both members served requests');
    else t.diagnostic(`Node ${process.versions.node}: one http worker served them all`);
    const journal = await m.api('/requests?mockId=hello&limit=1000');
    assert.equal(journal.body.requests.length, N);
    const verify = await m.api('/mocks/hello/verify', { method: 'POST', body: { exactly: N } });
    assert.equal(verify.status, 200);
    assert.deepEqual([verify.body.passed, verify.body.actual], [true, N]);
  });
});
