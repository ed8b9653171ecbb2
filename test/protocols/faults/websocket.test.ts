// Faults on live WebSocket connections (README "Faults and chaos"), each observed as a real `ws` client sees it:
// a reset, a drop with no close frame (1006), a chosen close code, a stall that swallows traffic until lifted, added
// latency, and N messages missing; lifted faults restore normal traffic.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, startFileMockd, wsMock, wsUrl, type Client } from '../websocket/helpers.ts';
import { deferred, within } from '../../helpers/wait.ts';

const m = await startFileMockd();

before(async () => {
  await m.createMock(wsMock('echo', { path: '/echo', echoMode: true }));
  await m.createMock(wsMock('lossy', { path: '/lossy', echoMode: true }, { faults: { fault: 'drop-messages', count: 1 } }));
});

type Ctx = Parameters<typeof connect>[0];

async function open(t: Ctx, path = '/echo', mockId = 'echo'): Promise<[Client, string]> {
  const c = await connect(t, wsUrl(m.mockUrl, path));
  const list = (await m.api(`/mocks/${mockId}/websocket/connections`)).body.connections;
  return [c, list[list.length - 1].id];
}

function fault(id: string, body: unknown) {
  return m.api(`/websocket/connections/${id}/fault`, { method: 'POST', body });
}

/** Resolves when no frame arrives within `ms`; rejects with the frame that did. */
async function silentFor(c: Client, ms: number): Promise<void> {
  const got = await c.next(ms).then((f) => f.text, () => undefined);
  assert.equal(got, undefined, `expected no message within ${ms} ms, got ${got}`);
}

describe('faults that end the connection', () => {
  test('reset: the client reads ECONNRESET and a 1006 close, with no close frame', async (t) => {
    const [c, id] = await open(t);
    const error = deferred<NodeJS.ErrnoException>();
    // ws reports socket errors only as a 1006 close, so the reset is read on the client's TCP socket itself.
    (c.ws as unknown as { _socket: import('node:net').Socket })._socket.on('error', (e) => error.resolve(e));
    const r = await fault(id, { kind: 'reset' });
    assert.equal(r.status, 200);
    assert.equal((await c.closed()).code, 1006);
    assert.equal((await within(error.promise, 'the client error')).code, 'ECONNRESET');
  });

  test('drop: the socket closes without a goodbye, so the client reports 1006', async (t) => {
    const [c, id] = await open(t);
    assert.equal((await fault(id, { kind: 'drop' })).status, 200);
    assert.deepEqual(await c.closed(), { code: 1006, reason: '' });
  });

  test('close: the client gets the chosen close code and reason', async (t) => {
    const [c, id] = await open(t);
    assert.equal((await fault(id, { kind: 'close', code: 4001, reason: 'go away' })).status, 200);
    assert.deepEqual(await c.closed(), { code: 4001, reason: 'go away' });
  });

  test('the connection leaves the listing once a fault ended it', async (t) => {
    const [c, id] = await open(t);
    await fault(id, { kind: 'drop' });
    await c.closed();
    for (let i = 0; i < 50; i++) {
      if ((await m.api(`/websocket/connections/${id}`)).status === 404) return;
      await within(new Promise((r) => setImmediate(r)), 'a turn');
    }
    assert.fail(`${id} is still listed`);
  });
});

describe('lasting faults', () => {
  test('stall: nothing gets through until the fault is lifted, then traffic flows again', async (t) => {
    const [c, id] = await open(t);
    assert.equal((await fault(id, { kind: 'stall' })).body.lasting, true);
    c.ws.send('held');
    await silentFor(c, 400);
    assert.equal((await m.api(`/websocket/connections/${id}/fault`, { method: 'DELETE' })).status, 200);
    assert.equal((await c.next()).text, 'held');
    c.ws.send('after');
    assert.equal((await c.next()).text, 'after');
  });

  test('stall with durationMs lifts by itself', async (t) => {
    const [c, id] = await open(t);
    await fault(id, { kind: 'stall', durationMs: 300 });
    const sent = Date.now();
    c.ws.send('later');
    assert.equal((await c.next()).text, 'later');
    assert.ok(Date.now() - sent >= 250, `answered after ${Date.now() - sent} ms`);
  });

  test('delay: every outbound message is late by delayMs, and on time once lifted', async (t) => {
    const [c, id] = await open(t);
    await fault(id, { kind: 'delay', delayMs: 300 });
    let sent = Date.now();
    c.ws.send('slow');
    assert.equal((await c.next()).text, 'slow');
    assert.ok(Date.now() - sent >= 280, `answered after ${Date.now() - sent} ms`);
    await m.api(`/websocket/connections/${id}/fault`, { method: 'DELETE' });
    sent = Date.now();
    c.ws.send('fast');
    assert.equal((await c.next()).text, 'fast');
    assert.ok(Date.now() - sent < 250, `answered after ${Date.now() - sent} ms`);
  });

  test('drop-messages: the next N outbound messages are missing, the rest arrive in order', async (t) => {
    const [c, id] = await open(t);
    await fault(id, { kind: 'drop-messages', count: 2 });
    for (const text of ['a', 'b', 'c', 'd']) c.ws.send(text);
    assert.equal((await c.next()).text, 'c');
    assert.equal((await c.next()).text, 'd');
  });
});

describe('faults for every connection of a mock', () => {
  test('POST /mocks/{id}/websocket/faults reaches each live connection', async (t) => {
    const [a] = await open(t);
    const [b] = await open(t);
    const r = await m.api('/mocks/echo/websocket/faults', { method: 'POST', body: { kind: 'close', code: 4002 } });
    assert.equal(r.status, 200);
    assert.ok(r.body.applied >= 2);
    assert.equal((await a.closed()).code, 4002);
    assert.equal((await b.closed()).code, 4002);
  });

  test('DELETE /mocks/{id}/websocket/faults lifts a stall on each connection of the mock', async (t) => {
    const [a] = await open(t);
    const [b] = await open(t);
    await m.api('/mocks/echo/websocket/faults', { method: 'POST', body: { kind: 'stall' } });
    a.ws.send('one');
    b.ws.send('two');
    await silentFor(a, 300);
    const r = await m.api('/mocks/echo/websocket/faults', { method: 'DELETE' });
    assert.ok(r.body.lifted >= 2);
    assert.equal((await a.next()).text, 'one');
    assert.equal((await b.next()).text, 'two');
  });

  test('a mock\'s faults block applies to each new connection', async (t) => {
    const [c] = await open(t, '/lossy', 'lossy');
    c.ws.send('first');
    c.ws.send('second');
    assert.equal((await c.next()).text, 'second');
  });
});

describe('bad requests', () => {
  test('an unknown connection is 404 not_found', async () => {
    const r = await fault('ws-999999', { kind: 'drop' });
    assert.equal(r.status, 404);
    assert.equal(r.body.error, 'not_found');
  });

  test('a kind the protocol does not have is 400 naming the field', async (t) => {
    const [, id] = await open(t);
    const r = await fault(id, { kind: 'goaway' });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'kind');
  });

  test('delay without delayMs is 400', async (t) => {
    const [, id] = await open(t);
    const r = await fault(id, { kind: 'delay' });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'delayMs');
  });

  test('a faults block with an unknown kind is refused when the mock is created', async () => {
    const r = await m.api('/mocks', { method: 'POST', body: wsMock('bad', { path: '/bad' }, { faults: { fault: 'explode' } }) });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'faults.fault');
  });
});
