// http.proxy mocks and snapshots of HTTP and SSE traffic (issue 21), against a real node:http upstream on loopback.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startMockd } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';
import { assertGapsClose, gapsOf, journalGaps, readEventStream, startHttpUpstream } from './helpers.ts';

async function call(base: string, path: string, init: RequestInit = {}) {
  const res = await fetchWithTimeout(base + path, init);
  return { status: res.status, contentType: res.headers.get('content-type'), upstream: res.headers.get('x-upstream'), body: await res.text() };
}

describe('http.proxy', () => {
  test('passes status, headers and body both ways, with stripPrefix and extra headers', async (t) => {
    const upstream = await startHttpUpstream(t);
    const m = await startMockd(t);
    await m.createMock({ id: 'api-proxy', http: { matcher: { pathPattern: '^/svc/' }, proxy: { upstream: `${upstream.url}/api`, stripPrefix: '/svc', headers: { 'X-Extra': '1' } } } });
    const direct = await call(upstream.url, '/api/users?q=a');
    const proxied = await call(m.mockUrl, '/svc/users?q=a');
    assert.deepEqual(proxied, direct);
    const posted = await call(m.mockUrl, '/svc/echo', { method: 'POST', body: 'ping' });
    assert.deepEqual(posted, { status: 202, contentType: 'text/plain', upstream: null, body: 'got ping' });
    const missing = await call(m.mockUrl, '/svc/nothing');
    assert.equal(missing.status, 404);
    assert.equal(missing.body, '{"error":"nope"}');
  });

  test('answers 502 upstream_unavailable when the upstream is down', async (t) => {
    const upstream = await startHttpUpstream(t);
    await upstream.stop();
    const m = await startMockd(t);
    await m.createMock({ http: { matcher: { path: '/x' }, proxy: { upstream: upstream.url } } });
    const res = await call(m.mockUrl, '/x');
    assert.equal(res.status, 502);
    assert.equal(JSON.parse(res.body).error, 'upstream_unavailable');
  });

  test('journals both bodies with proxied: true and redacts credentials unless record.redact is false', async (t) => {
    const upstream = await startHttpUpstream(t);
    const m = await startMockd(t);
    await m.createMock({ id: 'p1', http: { matcher: { path: '/api/users' }, proxy: { upstream: upstream.url } } });
    await m.createMock({ id: 'p2', http: { matcher: { path: '/api/echo' }, proxy: { upstream: upstream.url, record: { redact: false } } } });
    await call(m.mockUrl, '/api/users', { headers: { Authorization: 'Bearer top-secret', Cookie: 'a=b' } });
    await call(m.mockUrl, '/api/echo', { method: 'POST', body: 'x', headers: { Authorization: 'Bearer visible' } });
    assert.deepEqual(upstream.authorizations, ['Bearer top-secret', 'Bearer visible'], 'the upstream gets the real header');
    const { body } = await m.api('/requests?mockId=p1');
    const entry = body.requests[0];
    assert.equal(entry.proxied, true);
    assert.equal(entry.http.headers.authorization, '[REDACTED]');
    assert.equal(entry.http.headers.cookie, '[REDACTED]');
    assert.equal(entry.http.responseHeaders['set-cookie'], '[REDACTED]');
    assert.equal(entry.http.responseHeaders['x-upstream'], 'yes');
    assert.deepEqual(JSON.parse(entry.http.responseBody), { users: ['ada', 'alan'], q: null });
    assert.doesNotMatch(JSON.stringify((await m.api('/requests')).body), /top-secret/);
    const clear = (await m.api('/requests?mockId=p2')).body.requests[0];
    assert.equal(clear.http.headers.authorization, 'Bearer visible');
    assert.equal(clear.http.body, 'x');
    assert.equal(clear.http.responseBody, 'got x');
  });

  test('marks a proxied body past the journal cap with bodyTruncated, and forwards it whole', async (t) => {
    const upstream = await startHttpUpstream(t);
    const m = await startMockd(t);
    await m.createMock({ id: 'big', http: { matcher: { path: '/api/echo' }, proxy: { upstream: upstream.url } } });
    const big = 'x'.repeat(70 * 1024);
    const res = await call(m.mockUrl, '/api/echo', { method: 'POST', body: big });
    assert.equal(res.body, `got ${big}`);
    const entry = (await m.api('/requests?mockId=big')).body.requests[0];
    assert.equal(entry.bodyTruncated, true);
    assert.equal(Buffer.byteLength(entry.http.responseBody), 64 * 1024);
  });

  test('relays an SSE answer event by event as a listed SSE connection, journaled per event', async (t) => {
    const upstream = await startHttpUpstream(t);
    const m = await startMockd(t);
    await m.createMock({ id: 'feed', http: { matcher: { path: '/api/feed' }, proxy: { upstream: upstream.url } } });
    const streaming = readEventStream(`${m.mockUrl}/api/feed`);
    const conns = await eventually(async () => (await m.api('/sse/connections')).body.connections, (c: any[]) => c.length > 0);
    assert.equal(conns.length, 1);
    assert.equal(conns[0].mockId, 'feed');
    const events = await streaming;
    assert.deepEqual(events.map((e) => [e.type, e.id, e.data]), [['tick', '1', '{"n":1}'], ['tick', '2', '{"n":2}'], ['tick', '3', '{"n":3}']]);
    const journaled = (await m.api('/requests?protocol=sse&mockId=feed')).body.requests;
    // Each event reaches the client as mockd receives it from the upstream.
    assertGapsClose(gapsOf(events.map((e) => e.at)).slice(1), journalGaps(journaled.slice(1)), 'proxied SSE');
    assert.deepEqual(journaled.map((e: any) => [e.sse.kind, e.proxied, e.sse.path]), [['open', true, '/api/feed'], ['event', true, '/api/feed'], ['event', true, '/api/feed'], ['event', true, '/api/feed']]);
  });

  test('a mock change ends proxied SSE streams and drops their upstream', async (t) => {
    const upstream = await startHttpUpstream(t);
    const m = await startMockd(t);
    await m.createMock({ id: 'feed', http: { matcher: { path: '/api/feed' }, proxy: { upstream: upstream.url } } });
    const streaming = readEventStream(`${m.mockUrl}/api/feed`);
    await eventually(async () => (await m.api('/sse/connections')).body.connections, (c: any[]) => c.length > 0);
    await m.api('/mocks/feed', { method: 'PATCH', body: { name: 'renamed' } });
    const events = await streaming;
    assert.ok(events.length < 3, 'the stream ended before the upstream finished');
    assert.equal((await m.api('/sse/connections')).body.connections.length, 0);
  });
});

describe('snapshot of HTTP and SSE traffic', () => {
  async function record(t: any) {
    const upstream = await startHttpUpstream(t);
    const m = await startMockd(t);
    await m.createMock({ id: 'rec', http: { matcher: { pathPattern: '^/api/' }, proxy: { upstream: upstream.url } } });
    const seen = [];
    seen.push(await call(m.mockUrl, '/api/users?q=a', { headers: { Authorization: 'Bearer top-secret' } }));
    seen.push(await call(m.mockUrl, '/api/users?q=a'));
    seen.push(await call(m.mockUrl, '/api/count'));
    seen.push(await call(m.mockUrl, '/api/count'));
    seen.push(await call(m.mockUrl, '/api/count'));
    seen.push(await call(m.mockUrl, '/api/echo', { method: 'POST', body: 'hi' }));
    const events = await readEventStream(`${m.mockUrl}/api/feed`);
    const recorded = (await m.api('/requests?protocol=sse&mockId=rec')).body.requests;
    return { upstream, m, seen, events, recordedGaps: journalGaps(recorded.slice(1)) };
  }

  async function replay(m: any) {
    const seen = [];
    seen.push(await call(m.mockUrl, '/api/users?q=a', { headers: { Authorization: 'Bearer top-secret' } }));
    seen.push(await call(m.mockUrl, '/api/users?q=a'));
    seen.push(await call(m.mockUrl, '/api/count'));
    seen.push(await call(m.mockUrl, '/api/count'));
    seen.push(await call(m.mockUrl, '/api/count'));
    seen.push(await call(m.mockUrl, '/api/echo', { method: 'POST', body: 'hi' }));
    return seen;
  }

  test('with original timing: same answers in the same order, repeats collapsed, a sequence where answers differ, SSE gaps kept', async (t) => {
    const { upstream, m, seen, events, recordedGaps } = await record(t);
    const dry = await m.api('/recordings/snapshot', { method: 'POST', body: { filter: { mockId: 'rec' }, timing: 'original', dryRun: true } });
    assert.equal(dry.status, 200);
    assert.equal(dry.body.dryRun, true);
    assert.equal((await m.api('/mocks')).body.total, 1, 'a dry run creates nothing');
    assert.doesNotMatch(JSON.stringify(dry.body), /top-secret/);
    const snap = await m.api('/recordings/snapshot', { method: 'POST', body: { filter: { mockId: 'rec' }, timing: 'original', stopProxies: true } });
    assert.equal(snap.status, 201, JSON.stringify(snap.body));
    assert.deepEqual(snap.body.stopped, ['rec']);
    assert.equal(snap.body.created, 4, 'users, count, echo and the feed: one mock per distinct request');
    const count = snap.body.mocks.find((x: any) => x.http.matcher.path === '/api/count');
    assert.equal(count.http.sequence.length, 3);
    const users = snap.body.mocks.find((x: any) => x.http.matcher.path === '/api/users');
    assert.equal(users.http.response.statusCode, 200, 'identical repeats collapse into one response');
    assert.doesNotMatch(JSON.stringify(snap.body), /top-secret/);
    await upstream.stop();
    assert.deepEqual(await replay(m), seen);
    const replayed = await readEventStream(`${m.mockUrl}/api/feed`);
    assert.deepEqual(replayed.map((e) => [e.type, e.id, e.data]), events.map((e) => [e.type, e.id, e.data]));
    assertGapsClose(gapsOf(replayed.map((e) => e.at)).slice(1), recordedGaps, 'replayed SSE');
  });

  test('with timing none the SSE events come without gaps', async (t) => {
    const { upstream, m, events } = await record(t);
    const snap = await m.api('/recordings/snapshot', { method: 'POST', body: { filter: { protocol: 'sse' }, timing: 'none', persist: false } });
    assert.equal(snap.status, 201, JSON.stringify(snap.body));
    await m.api('/mocks/rec', { method: 'DELETE' });
    await upstream.stop();
    const replayed = await readEventStream(`${m.mockUrl}/api/feed`);
    assert.deepEqual(replayed.map((e) => e.data), events.map((e) => e.data));
    const spread = replayed[replayed.length - 1]!.at - replayed[0]!.at;
    assert.ok(spread < 40, `events ${spread.toFixed(1)} ms apart`);
  });

  test('answers 400 with the field for a bad timing', async (t) => {
    const m = await startMockd(t);
    const res = await m.api('/recordings/snapshot', { method: 'POST', body: { timing: 'sometimes' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.field, 'timing');
  });
});

describe('snapshot persistence', () => {
  test('persist: false serves the snapshot mocks but never writes them to the data dir', async (t) => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tempDir } = await import('../helpers/mockd.ts');
    const dir = tempDir(t);
    const upstream = await startHttpUpstream(t);
    const m = await startMockd(t, { persist: true, dataDir: dir });
    await m.createMock({ id: 'rec', http: { matcher: { path: '/api/users' }, proxy: { upstream: upstream.url } } });
    await call(m.mockUrl, '/api/users');
    const kept = await m.api('/recordings/snapshot', { method: 'POST', body: { filter: { mockId: 'rec' }, persist: false } });
    assert.equal(kept.status, 201);
    const ephemeralId = kept.body.mocks[0].id;
    const saved = () => JSON.parse(readFileSync(join(dir, 'mocks.json'), 'utf8'));
    const ids = (file: any) => (Array.isArray(file) ? file : file.mocks).map((x: any) => x.id);
    assert.deepEqual(ids(saved()), ['rec']);
    assert.equal((await m.api(`/mocks/${ephemeralId}`)).status, 200, 'served all the same');
    const persisted = await m.api('/recordings/snapshot', { method: 'POST', body: { filter: { mockId: 'rec' } } });
    assert.deepEqual(ids(saved()), ['rec', persisted.body.mocks[0].id]);
  });
});
