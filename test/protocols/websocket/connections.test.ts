// WebSocket connection management through the admin API (contract §9.1, §9.2): listing, counters, stats, send
// and close, with real clients. What every protocol shares (get, close, mock-scoped routes, goodbyes on mock change)
// is tested once for all four in test/protocols/connection-matrix.test.ts; this file keeps what is WebSocket's own.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/mockd.ts';
import { connect, roundTrip, startFileMockd, wsMock, wsUrl, type Client } from './helpers.ts';

const m = await startFileMockd();
const url = (path: string) => wsUrl(m.mockUrl, path);
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

before(async () => {
  await m.createMock(wsMock('chat', { path: '/chat' }));
  await m.createMock(wsMock('other', { path: '/other' }));
  await m.createMock({ id: 'plain', type: 'http', http: { matcher: { path: '/plain' }, response: { statusCode: 200 } } });
});

/** The id of the newest connection of a mock, as the admin API lists it. */
async function newestId(mockId: string): Promise<string> {
  const list = (await m.api(`/mocks/${mockId}/websocket/connections`)).body.connections;
  return list[list.length - 1].id;
}

async function connectAndId(t: Parameters<typeof connect>[0], path: string, mockId: string): Promise<[Client, string]> {
  const c = await connect(t, url(path));
  return [c, await newestId(mockId)];
}

describe('listing', () => {
  test('lists a client with its mock, path, counters and status', async (t) => {
    const [c, id] = await connectAndId(t, '/chat', 'chat');
    await roundTrip(c, 'one');
    await roundTrip(c, 'two');
    const r = await m.api('/websocket/connections');
    assert.equal(r.status, 200);
    const conn = r.body.connections.find((x: { id: string }) => x.id === id);
    assert.match(conn.id, /^ws-\d+$/);
    assert.match(conn.connectedAt, ISO_MS);
    // clientIp is the client's own ip:port, as SSE records carry it (§9.3); no subprotocol was chosen, so none is listed.
    const clientIp = `127.0.0.1:${(c.ws as unknown as { _socket: { localPort: number } })._socket.localPort}`;
    assert.deepEqual(conn, { id, mockId: 'chat', path: '/chat', clientIp, connectedAt: conn.connectedAt, messagesSent: 2, messagesRecv: 2, status: 'connected' });
    assert.deepEqual(Object.keys(r.body.stats).sort(), ['activeConnections', 'connectionsByMock', 'totalConnections', 'totalMessagesRecv', 'totalMessagesSent']);
  });

});

describe('send', () => {
  test('delivers a text message and counts it as sent', async (t) => {
    const [c, id] = await connectAndId(t, '/chat', 'chat');
    const r = await m.api(`/websocket/connections/${id}/send`, { method: 'POST', body: { data: 'héllo from admin' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { message: 'Message sent', connection: id, type: 'text' });
    const f = await c.next();
    assert.equal(f.isBinary, false);
    assert.equal(f.text, 'héllo from admin');
    assert.equal((await m.api(`/websocket/connections/${id}`)).body.messagesSent, 1);
  });

  test('delivers binary data byte for byte, and "" as an empty binary frame', async (t) => {
    const [c, id] = await connectAndId(t, '/chat', 'chat');
    const bytes = Buffer.from([0, 255, 1, 254, 128]);
    const r = await m.api(`/websocket/connections/${id}/send`, { method: 'POST', body: { type: 'binary', data: bytes.toString('base64') } });
    assert.deepEqual(r.body, { message: 'Message sent', connection: id, type: 'binary' });
    const f = await c.next();
    assert.equal(f.isBinary, true);
    assert.deepEqual(f.data, bytes);
    assert.equal((await m.api(`/websocket/connections/${id}/send`, { method: 'POST', body: { type: 'binary', data: '' } })).status, 200);
    const empty = await c.next();
    assert.equal(empty.isBinary, true);
    assert.equal(empty.data.length, 0);
  });

  test('rejects bad bodies before sending anything', async (t) => {
    const [, id] = await connectAndId(t, '/chat', 'chat');
    const send = (body: unknown) => m.api(`/websocket/connections/${id}/send`, { method: 'POST', body });
    const badType = await send({ type: 'json', data: 'x' });
    assert.equal(badType.status, 400);
    assert.equal(badType.body.error, 'invalid_type');
    for (const data of ['not base64!', 'aGk', 'aGk==', '-_-_']) {
      const r = await send({ type: 'binary', data });
      assert.equal(r.status, 400, data);
      assert.equal(r.body.error, 'invalid_base64', data);
    }
    for (const body of [{}, { data: 5 }, { type: 'text', data: null }]) {
      const r = await send(body);
      assert.equal(r.status, 400);
      assert.equal(r.body.error, 'validation_error');
      assert.equal(r.body.field, 'data');
    }
    assert.equal((await m.api(`/websocket/connections/${id}`)).body.messagesSent, 0);
  });

  test('answers 404 for an unknown or closed connection', async (t) => {
    const unknown = await m.api('/websocket/connections/ws-999999/send', { method: 'POST', body: { data: 'x' } });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: 'not_found', message: 'Connection not found' });
    const [, id] = await connectAndId(t, '/chat', 'chat');
    await m.api(`/websocket/connections/${id}`, { method: 'DELETE' });
    const closed = await m.api(`/websocket/connections/${id}/send`, { method: 'POST', body: { data: 'x' } });
    assert.equal(closed.status, 404);
  });
});

describe('close', () => {
  test('closes one connection with 1000 "closed by API" and it is gone when the call returns', async (t) => {
    const [c, id] = await connectAndId(t, '/chat', 'chat');
    const r = await m.api(`/websocket/connections/${id}`, { method: 'DELETE' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { message: 'Connection closed', connection: id });
    assert.equal((await m.api(`/websocket/connections/${id}`)).status, 404);
    assert.deepEqual(await c.closed(), { code: 1000, reason: 'closed by API' });
    const again = await m.api(`/websocket/connections/${id}`, { method: 'DELETE' });
    assert.equal(again.status, 404);
  });

});

describe('stats', () => {
  test('keep cumulative totals after connections close and count data frames only', async (t) => {
    const before = (await m.api('/websocket/stats')).body;
    const [c, id] = await connectAndId(t, '/chat', 'chat');
    await roundTrip(c, 'a');
    // A ping and its pong are control frames: they are not counted.
    c.ws.ping();
    await roundTrip(c, 'b');
    const open = (await m.api('/websocket/stats')).body;
    assert.equal(open.totalConnections, before.totalConnections + 1);
    assert.equal(open.activeConnections, before.activeConnections + 1);
    assert.equal(open.totalMessagesRecv, before.totalMessagesRecv + 2);
    assert.equal(open.totalMessagesSent, before.totalMessagesSent + 2);
    assert.equal(open.connectionsByMock.chat, (before.connectionsByMock.chat ?? 0) + 1);
    await m.api(`/websocket/connections/${id}`, { method: 'DELETE' });
    const after = (await m.api('/websocket/stats')).body;
    assert.equal(after.totalConnections, before.totalConnections + 1);
    assert.equal(after.activeConnections, before.activeConnections);
    assert.equal(after.totalMessagesRecv, open.totalMessagesRecv);
    assert.equal(after.totalMessagesSent, open.totalMessagesSent);
  });

  test('leaves mocks with no active connections out of connectionsByMock', async (t) => {
    const [c] = await connectAndId(t, '/other', 'other');
    assert.equal((await m.api('/websocket/stats')).body.connectionsByMock.other >= 1, true);
    await m.api('/mocks/other/websocket/connections', { method: 'DELETE' });
    await c.closed();
    assert.equal('other' in (await m.api('/websocket/stats')).body.connectionsByMock, false);
  });

  test('lists connections oldest first and forgets a client that went away', async (t) => {
    const [a, first] = await connectAndId(t, '/chat', 'chat');
    const [, second] = await connectAndId(t, '/chat', 'chat');
    const ids = (await m.api('/websocket/connections')).body.connections.map((c: { id: string }) => c.id);
    assert.ok(ids.indexOf(first) < ids.indexOf(second));
    a.ws.close(1000, 'bye');
    await eventually(() => m.api(`/websocket/connections/${first}`), (r) => r.status === 404);
  });
});
