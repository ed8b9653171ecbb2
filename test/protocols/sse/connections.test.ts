// Live SSE streams through the admin API (contract §9.1, §9.3): listing, closing, stats, the stream cap, shutdown.
// What every protocol shares (get, close, mock-scoped routes, goodbyes on mock change) is tested once for all four in
// test/protocols/connection-matrix.test.ts; this file keeps what is SSE's own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { once } from 'node:events';
import { eventually, startMockd, type Admin } from '../../helpers/mockd.ts';
import type { RunningMockd } from '../../../src/server.ts';
import { openStream, rawGet, sseMock, ticking } from './helpers.ts';
import { fetchWithTimeout } from '../../helpers/wait.ts';

const PRE = 'retry: 3000\n\n';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
/** A stream that sends `x` and then stays open, quiet, until closed. */
const quiet = { events: [{ data: 'x' }, { data: 'never', delay: 60_000 }], lifecycle: { termination: { finalEvent: { type: 'bye', data: 'bye' } } } };

async function idsOf(m: Admin, mockId?: string): Promise<string[]> {
  const r = await m.api(mockId ? `/mocks/${mockId}/sse/connections` : '/sse/connections');
  return r.body.connections.map((c: { id: string }) => c.id);
}

describe('SSE connections through the admin API', () => {
  let m: RunningMockd & Admin;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    m = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
    await m.createMock(sseMock('conn_quiet', quiet));
    await m.createMock(sseMock('conn_other', quiet));
    await m.createMock({ id: 'conn_plain', http: { matcher: { path: '/plain' }, response: { statusCode: 200, body: 'ok' } } });
  });
  after(() => Promise.all(cleanups.map((fn) => fn())));

  test('lists a stream with exactly the fields of §9.3 and counts what it sent', async (t) => {
    const s = await openStream(t, `${m.mockUrl}/conn_quiet?q=1`, { 'User-Agent': 'sse-test/1.0' });
    await s.until('data:x\n\n');
    const r = await m.api('/sse/connections');
    assert.equal(r.status, 200);
    const conn = r.body.connections.find((c: { mockId: string }) => c.mockId === 'conn_quiet');
    assert.deepEqual(Object.keys(conn), ['id', 'mockId', 'path', 'clientIp', 'userAgent', 'connectedAt', 'eventsSent', 'bytesSent', 'status']);
    assert.match(conn.id, /^sse-\d+$/);
    assert.equal(conn.path, '/conn_quiet');
    assert.match(conn.clientIp, /^127\.0\.0\.1:\d+$/);
    assert.equal(conn.userAgent, 'sse-test/1.0');
    assert.match(conn.connectedAt, ISO);
    assert.equal(conn.eventsSent, 1);
    assert.equal(conn.bytesSent, Buffer.byteLength(`${PRE}data:x\n\n`));
    assert.equal(conn.status, 'active');
    assert.deepEqual(Object.keys(r.body.stats), ['totalConnections', 'activeConnections', 'totalEventsSent', 'totalBytesSent', 'connectionErrors', 'connectionsByMock']);
    assert.equal(r.body.stats.connectionsByMock.conn_quiet, 1);

    const one = await m.api(`/sse/connections/${conn.id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, conn);
  });

  test('leaves userAgent out when the request had none, and reports the client port', async (t) => {
    const raw = await rawGet(t, m.mockPort, '/conn_quiet');
    await raw.until((b) => b.includes('data:x'));
    const list = (await m.api('/mocks/conn_quiet/sse/connections')).body.connections;
    const conn = list.find((c: { clientIp: string }) => c.clientIp === `127.0.0.1:${raw.localPort}`);
    assert.ok(conn, JSON.stringify(list));
    assert.equal('userAgent' in conn, false);
  });

  test('closes a stream by id: a clean end with no final event, gone from every listing on return', async (t) => {
    const s = await openStream(t, `${m.mockUrl}/conn_quiet`);
    await s.until('data:x\n\n');
    const id = (await m.api('/mocks/conn_quiet/sse/connections')).body.connections.at(-1).id;
    const before = (await m.api('/sse/stats')).body;

    const r = await m.api(`/sse/connections/${id}`, { method: 'DELETE' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { message: 'Connection closed', connection: id });
    assert.equal((await idsOf(m)).includes(id), false);
    assert.equal((await m.api(`/sse/connections/${id}`)).status, 404);
    assert.equal(await s.end(), 'end');
    assert.equal(s.text, `${PRE}data:x\n\n`);

    // An admin close sends no final event: the totals grow by nothing, and keep what the stream sent.
    const stats = (await m.api('/sse/stats')).body;
    assert.deepEqual(
      [stats.totalConnections, stats.totalEventsSent, stats.totalBytesSent],
      [before.totalConnections, before.totalEventsSent, before.totalBytesSent],
    );
  });

  test('sends the final zero-length chunk when an admin closes a stream', async (t) => {
    const raw = await rawGet(t, m.mockPort, '/conn_other');
    await raw.until((b) => b.includes('data:x'));
    const conn = (await m.api('/mocks/conn_other/sse/connections')).body.connections.find(
      (c: { clientIp: string }) => c.clientIp.endsWith(`:${raw.localPort}`),
    );
    await m.api(`/sse/connections/${conn.id}`, { method: 'DELETE' });
    const bytes = await raw.until((b) => b.endsWith('0\r\n\r\n'));
    assert.ok(bytes.endsWith('data:x\n\n\r\n0\r\n\r\n'), JSON.stringify(bytes));
  });

  test('drops a stream from the listings when its client goes away, keeping its totals', async () => {
    const controller = new AbortController();
    const res = await fetchWithTimeout(`${m.mockUrl}/conn_quiet`, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    const ids = await idsOf(m, 'conn_quiet');
    const id = ids.at(-1)!;
    const before = (await m.api('/sse/stats')).body;
    controller.abort();
    await eventually(() => idsOf(m), (all) => !all.includes(id));
    // The stream sent nothing more (its next event is a minute away): the totals are exactly what they were.
    const stats = (await m.api('/sse/stats')).body;
    assert.deepEqual(
      [stats.totalConnections, stats.totalEventsSent, stats.totalBytesSent, stats.activeConnections],
      [before.totalConnections, before.totalEventsSent, before.totalBytesSent, before.activeConnections - 1],
    );
  });

  test('shows a stream as closing during its close delay, and an admin close ends it at once', async (t) => {
    await m.createMock(sseMock('conn_closing', { events: [{ data: 'x' }], lifecycle: { termination: { finalEvent: { data: 'bye' }, closeDelay: 60_000 } } }));
    const s = await openStream(t, `${m.mockUrl}/conn_closing`);
    await s.until('data:bye\n\n');
    const [conn] = (await m.api('/mocks/conn_closing/sse/connections')).body.connections;
    assert.equal(conn.status, 'closing');
    assert.equal(conn.eventsSent, 2);
    await m.api(`/sse/connections/${conn.id}`, { method: 'DELETE' });
    assert.equal(await s.end(), 'end');
  });

  test('numbers streams sse-<n> upwards without reusing an id', async (t) => {
    const numbers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await openStream(t, `${m.mockUrl}/conn_quiet`);
      await s.until('data:x');
      const id: string = (await m.api('/mocks/conn_quiet/sse/connections')).body.connections.at(-1).id;
      numbers.push(Number(id.slice(4)));
      await m.api(`/sse/connections/${id}`, { method: 'DELETE' });
    }
    assert.ok(numbers[0]! < numbers[1]! && numbers[1]! < numbers[2]!, JSON.stringify(numbers));
  });
});

describe('the SSE stream cap (--max-sse-streams)', () => {
  test('refuses one stream past the cap with 503 too_many_streams and counts it in connectionErrors', async (t) => {
    const m = await startMockd(t, { maxSseStreams: 2 });
    await m.createMock(sseMock('cap', ticking(50)));
    const a = await openStream(t, `${m.mockUrl}/cap`);
    await openStream(t, `${m.mockUrl}/cap`);
    const refused = await fetchWithTimeout(`${m.mockUrl}/cap`, { signal: AbortSignal.timeout(3000) });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('content-type'), 'application/json');
    assert.deepEqual(await refused.json(), { error: 'too_many_streams', message: 'sse: maximum connections reached' });

    const stats = (await m.api('/sse/stats')).body;
    assert.equal(stats.connectionErrors, 1);
    assert.equal(stats.activeConnections, 2);
    assert.equal(stats.totalConnections, 2);
    assert.deepEqual(stats.connectionsByMock, { cap: 2 });

    const id = (await m.api('/sse/connections')).body.connections[0].id;
    await m.api(`/sse/connections/${id}`, { method: 'DELETE' });
    await a.end();
    const again = await openStream(t, `${m.mockUrl}/cap`);
    assert.equal(again.response.status, 200);
    assert.equal(await again.until('data:tick-1').then(() => 'ok'), 'ok');
  });
});

describe('when mockd shuts down', () => {
  test('ends every SSE response cleanly, with the final chunk a plain http client waits for', async (t) => {
    const m = await startMockd(t);
    await m.createMock(sseMock('shutdown', ticking(20)));
    const s = await openStream(t, `${m.mockUrl}/shutdown`);
    await s.until('data:tick-1');
    const req = request(`${m.mockUrl}/shutdown`);
    t.after(() => req.destroy());
    req.end();
    const [res] = await once(req, 'response', { signal: AbortSignal.timeout(3000) });
    res.setEncoding('utf8');
    let text = '';
    res.on('data', (d: string) => (text += d));
    const ended = once(res, 'end', { signal: AbortSignal.timeout(5000) });
    await once(res, 'data', { signal: AbortSignal.timeout(3000) });

    await m.close();
    assert.equal(await s.end(), 'end');
    await ended;
    assert.equal(res.complete, true);
    assert.ok(text.startsWith(PRE), JSON.stringify(text));
  });
});
