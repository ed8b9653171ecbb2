// `GET /events` (contract §8.4), black-box over fetch streaming against a real mockd.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import { eventually, spawnMockd, startMockd, type Admin } from '../helpers/mockd.ts';
import type { RunningMockd } from '../../src/server.ts';
import { EventStreamClient, type Frame } from './event-stream-client.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

const PROTOCOL_KEYS = ['websocket', 'sse', 'mqtt', 'grpc'];

async function openEvents(t: { after(fn: () => unknown): void }, adminUrl: string): Promise<EventStreamClient> {
  const client = await EventStreamClient.open(`${adminUrl}/events`);
  t.after(() => client.close());
  return client;
}

async function connectWs(t: { after(fn: () => unknown): void }, url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  t.after(() => ws.terminate());
  await once(ws, 'open', { signal: AbortSignal.timeout(5000) });
  return ws;
}

describe('GET /events', () => {
  // One mockd for the tests that need no options of their own; each uses its own mocks.
  let m: RunningMockd & Admin;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    m = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
  });
  after(async () => {
    for (const fn of cleanups) await fn();
  });

  test('opens with the §4 preamble and a stats event covering all four protocols', async (t) => {
    const events = await openEvents(t, m.adminUrl);
    assert.equal(events.response.status, 200);
    assert.equal(events.response.headers.get('content-type'), 'text/event-stream');
    assert.equal(events.response.headers.get('cache-control'), 'no-cache');
    assert.equal(events.response.headers.get('x-accel-buffering'), 'no');

    const stats = await events.takeEvent('stats');
    assert.ok(events.raw.startsWith('retry: 3000\n\nevent:stats\nid:1\ndata:{'), JSON.stringify(events.raw.slice(0, 40)));
    assert.deepEqual(Object.keys(stats.data).sort(), [...PROTOCOL_KEYS].sort());
    for (const key of PROTOCOL_KEYS) assert.equal(typeof stats.data[key].connectionsByMock, 'object');
    assert.equal(typeof stats.data.websocket.activeConnections, 'number');
  });

  test('sends mock.created, mock.updated and mock.deleted with the mock and increasing ids', async (t) => {
    const events = await openEvents(t, m.adminUrl);
    await events.takeEvent('stats');

    const created = await m.createMock({ id: 'chat', type: 'websocket', websocket: { path: '/ws/chat' } });
    const renamed = await m.api('/mocks/chat', { method: 'PATCH', body: { name: 'renamed' } });
    const toggled = await m.api('/mocks/chat/toggle', { method: 'POST' });
    assert.equal((await m.api('/mocks/chat', { method: 'DELETE' })).status, 204);

    const mockEvents = (f: Frame) => f.event.startsWith('mock.');
    const frames = [await events.take(mockEvents), await events.take(mockEvents), await events.take(mockEvents), await events.take(mockEvents)];
    assert.deepEqual(frames.map((f) => f.event), ['mock.created', 'mock.updated', 'mock.updated', 'mock.deleted']);
    assert.deepEqual(frames[0]!.data, { mock: created });
    assert.deepEqual(frames[1]!.data, { mock: renamed.body.mock });
    assert.deepEqual(frames[2]!.data, { mock: toggled.body.mock });
    assert.equal(frames[2]!.data.mock.enabled, false);
    assert.deepEqual(frames[3]!.data, { id: 'chat', type: 'websocket' });

    const ids = events.frames.map((f) => f.id);
    assert.ok(ids.every((id, i) => Number.isInteger(id) && (i === 0 || id > ids[i - 1]!)), `ids not increasing: ${ids}`);
  });

  test('reports a WebSocket client opening and an admin close with its reason, then the new stats', async (t) => {
    const mock = await m.createMock({ type: 'websocket', websocket: { path: '/ws/live' } });
    const events = await openEvents(t, m.adminUrl);
    await events.takeEvent('stats');

    const ws = await connectWs(t, `${m.mockUrl.replace('http', 'ws')}/ws/live`);
    const opened = await events.takeEvent('connection.opened');
    assert.deepEqual(opened.data, { protocol: 'websocket', id: opened.data.id, mockId: mock.id });
    assert.match(opened.data.id, /^ws-\d+$/);
    const stats = await events.take((f) => f.event === 'stats' && f.data.websocket.activeConnections === 1);
    assert.deepEqual(stats.data.websocket.connectionsByMock, { [mock.id]: 1 });

    const clientClosed = once(ws, 'close', { signal: AbortSignal.timeout(5000) });
    assert.equal((await m.api(`/websocket/connections/${opened.data.id}`, { method: 'DELETE' })).status, 200);
    const closed = await events.takeEvent('connection.closed');
    assert.deepEqual(closed.data, { protocol: 'websocket', id: opened.data.id, mockId: mock.id, reason: 'admin' });
    assert.equal((await clientClosed)[0], 1000);
  });

  test('reports an SSE stream opening and the client leaving', async (t) => {
    const mock = await m.createMock({ http: { matcher: { method: 'GET', path: '/ticks' }, sse: { generator: { type: 'sequence' }, timing: { fixedDelay: 50 } } } });
    const events = await openEvents(t, m.adminUrl);
    await events.takeEvent('stats');

    const abort = new AbortController();
    t.after(() => abort.abort());
    const res = await fetchWithTimeout(`${m.mockUrl}/ticks`, { signal: abort.signal });
    assert.equal(res.status, 200);
    const opened = await events.takeEvent('connection.opened');
    assert.deepEqual(opened.data, { protocol: 'sse', id: opened.data.id, mockId: mock.id });
    abort.abort();
    const closed = await events.take((f) => f.event === 'connection.closed' && f.data.id === opened.data.id);
    assert.equal(closed.data.reason, 'client');
  });

  test('sends stats at most once a second, batching a burst of connection changes', async (t) => {
    const mock = await m.createMock({ type: 'websocket', websocket: { path: '/ws/burst' } });
    const events = await openEvents(t, m.adminUrl);
    const first = await events.takeEvent('stats');

    const url = `${m.mockUrl.replace('http', 'ws')}/ws/burst`;
    const clients = await Promise.all(Array.from({ length: 20 }, () => connectWs(t, url)));
    await Promise.all(clients.map(async (ws) => {
      ws.close();
      await once(ws, 'close', { signal: AbortSignal.timeout(5000) });
    }));
    const total = first.data.websocket.totalConnections + 20;
    const settled = await events.take((f) => f.event === 'stats' && f.data.websocket.totalConnections === total && f.data.websocket.activeConnections === 0);

    const stats = events.frames.filter((f) => f.event === 'stats');
    const connectionEvents = events.frames.filter((f) => f.event.startsWith('connection.') && f.data.mockId === mock.id);
    assert.equal(connectionEvents.length, 40);
    assert.ok(stats.length <= 4, `expected the 40 changes to be batched into a few stats events, got ${stats.length}`);
    for (let i = 1; i < stats.length; i++) {
      // The server sends ≥ 1000 ms apart; arrival gaps may shrink by a little network jitter.
      assert.ok(stats[i]!.at - stats[i - 1]!.at >= 900, `stats ${stats[i - 1]!.id} and ${stats[i]!.id} came ${stats[i]!.at - stats[i - 1]!.at} ms apart`);
    }
    assert.ok(settled.at - first.at >= 900);
  });

  test('adds a request event per journal entry only when opened with ?requests=true', async (t) => {
    const mock = await m.createMock({ http: { matcher: { method: 'GET', path: '/journaled' }, response: { statusCode: 200, body: 'ok' } } });
    const plain = await openEvents(t, m.adminUrl);
    const withRequests = await EventStreamClient.open(`${m.adminUrl}/events?requests=true`);
    t.after(() => withRequests.close());
    await Promise.all([plain.takeEvent('stats'), withRequests.takeEvent('stats')]);

    assert.equal((await fetchWithTimeout(`${m.mockUrl}/journaled`)).status, 200);
    const request = await withRequests.take((f) => f.event === 'request' && f.data.mockId === mock.id);
    assert.equal(request.data.protocol, 'http');
    assert.equal(request.data.http.path, '/journaled');
    assert.match(request.data.id, /^req-\d+$/);
    // A barrier: a change made after the request event arrived reaches the plain stream after any request event sent
    // to it, since one stream writes in order. Once the plain stream has it, a wrong request event would be seen.
    const marker = await m.createMock({ http: { matcher: { method: 'GET', path: '/journaled-barrier' }, response: { statusCode: 204 } } });
    await plain.take((f) => f.event === 'mock.created' && f.data.mock.id === marker.id);
    assert.deepEqual(plain.frames.filter((f) => f.event === 'request'), []);
  });

  test('sends at most 200 request events a second and reports the rest as dropped in the next stats', async (t) => {
    const mock = await m.createMock({ http: { matcher: { method: 'GET', path: '/flood' }, response: { statusCode: 204 } } });
    const events = await EventStreamClient.open(`${m.adminUrl}/events?requests=true`);
    t.after(() => events.close());
    await events.takeEvent('stats');

    await Promise.all(Array.from({ length: 400 }, () => fetchWithTimeout(`${m.mockUrl}/flood`).then((r) => r.arrayBuffer())));
    const stats = await events.take((f) => f.event === 'stats' && f.data.dropped > 0);
    const requests = events.frames.filter((f) => f.event === 'request' && f.data.mockId === mock.id);
    assert.ok(requests.length >= 1 && requests.length + stats.data.dropped <= 400, `${requests.length} sent, ${stats.data.dropped} dropped`);
    const firstAt = requests[0]!.at;
    assert.ok(requests.filter((f) => f.at - firstAt < 1000).length <= 200 + 5, 'no more than 200 request events in the first second');
  });

  test('is neither listed as an SSE connection nor counted against --max-sse-streams', async (t) => {
    const m = await startMockd(t, { maxSseStreams: 1 });
    await m.createMock({ http: { matcher: { method: 'GET', path: '/one' }, sse: { events: [{ data: 'x' }] } } });
    const a = await openEvents(t, m.adminUrl);
    const b = await openEvents(t, m.adminUrl);
    await Promise.all([a.takeEvent('stats'), b.takeEvent('stats')]);

    const listed = await m.api('/sse/connections');
    assert.deepEqual(listed.body.connections, []);
    assert.equal(listed.body.stats.totalConnections, 0);

    const abort = new AbortController();
    t.after(() => abort.abort());
    const res = await fetchWithTimeout(`${m.mockUrl}/one`, { signal: abort.signal });
    assert.equal(res.status, 200, 'the one allowed SSE stream is still free');
  });

  test('stops listening for changes when a client goes away, and ends the other streams when mockd exits', async (t) => {
    // Seen from outside: mockd's debug log on stderr says how many /events clients it still feeds.
    const mockd = await spawnMockd(t, ['--no-persist', '--log-level', 'debug']);
    const logged = (line: string) => eventually(() => mockd.stderr(), (err) => err.includes(line));
    const leaving = await openEvents(t, mockd.adminUrl);
    const staying = await openEvents(t, mockd.adminUrl);
    await Promise.all([leaving.takeEvent('stats'), staying.takeEvent('stats')]);
    await logged('/events: a client connected; 2 listening');

    leaving.close();
    await logged('/events: a client left; 1 listening');
    assert.equal(await mockd.stop('SIGTERM'), 0, mockd.stderr());
    await staying.waitForEnd();
    assert.equal(staying.ended, true);
  });

  test('ends open streams when mockd closes', async (t) => {
    const m = await startMockd(t);
    const events = await openEvents(t, m.adminUrl);
    await events.takeEvent('stats');
    await m.close();
    await events.waitForEnd();
    assert.equal(events.ended, true);
  });
});
