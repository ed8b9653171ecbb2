import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

test('HTTP requests are journaled matched and unmatched, with near misses, filters and paging', async (t) => {
  const m = await startMockd(t);
  await m.createMock({ id: 'create-user', name: 'create user', http: { matcher: { method: 'POST', path: '/users' }, response: { statusCode: 201, body: 'made' } } });
  await fetchWithTimeout(`${m.mockUrl}/users?tag=a&tag=b`, { method: 'POST', headers: { 'X-Trace': 'abc' }, body: '{"name":"ann"}' });
  await fetchWithTimeout(`${m.mockUrl}/users`);
  await fetchWithTimeout(`${m.mockUrl}/other`);

  const all = await m.api('/requests');
  assert.equal(all.status, 200);
  assert.equal(all.body.total, 3);
  assert.equal(all.body.count, 3);
  const [first, second, third] = all.body.requests;
  assert.match(first.id, /^req-\d+$/);
  assert.ok(Number(first.id.slice(4)) < Number(second.id.slice(4)));
  assert.equal(first.protocol, 'http');
  assert.equal(first.mockId, 'create-user');
  assert.equal(first.matched, true);
  assert.equal(first.http.method, 'POST');
  assert.equal(first.http.path, '/users');
  assert.deepEqual(first.http.query, { tag: 'a' });
  assert.equal(first.http.headers['x-trace'], 'abc');
  assert.equal(first.http.body, '{"name":"ann"}');
  assert.equal(first.http.statusCode, 201);
  assert.equal(typeof first.http.durationMs, 'number');
  assert.match(first.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  assert.equal(second.matched, false);
  assert.equal(second.mockId, undefined);
  assert.equal(second.http.statusCode, 404);
  assert.equal(second.http.nearMisses[0].mockId, 'create-user');
  assert.equal(third.http.path, '/other');

  assert.deepEqual((await m.api('/requests?matched=false')).body.requests.map((e: any) => e.http.path), ['/users', '/other']);
  assert.equal((await m.api('/requests?method=post')).body.total, 1);
  assert.equal((await m.api('/requests?path=/other')).body.total, 1);
  assert.equal((await m.api('/requests?mockId=create-user')).body.total, 1);
  assert.deepEqual((await m.api(`/requests?since=${first.id}`)).body.requests.map((e: any) => e.id), [second.id, third.id]);
  const page = await m.api('/requests?limit=1&offset=1');
  assert.deepEqual(page.body.requests.map((e: any) => e.id), [second.id]);
  assert.equal(page.body.total, 3);
  assert.equal(page.body.count, 1);
  assert.equal((await m.api('/requests?protocol=smtp')).status, 400);

  assert.deepEqual((await m.api(`/requests/${second.id}`)).body, second);
  assert.equal((await m.api('/requests/req-999999')).status, 404);

  assert.equal((await m.api('/requests', { method: 'DELETE' })).status, 204);
  assert.equal((await m.api('/requests')).body.total, 0);
  await fetchWithTimeout(`${m.mockUrl}/other`);
  const after = (await m.api('/requests')).body.requests;
  assert.ok(Number(after[0].id.slice(4)) > Number(third.id.slice(4)), 'ids are never reused after a clear');
});

test('bodies over 64 KiB are cut and flagged bodyTruncated', async (t) => {
  const m = await startMockd(t);
  await m.createMock({ http: { matcher: { method: 'POST', path: '/big' }, response: { statusCode: 200 } } });
  await fetchWithTimeout(`${m.mockUrl}/big`, { method: 'POST', body: 'x'.repeat(70 * 1024) });
  const [entry] = (await m.api('/requests')).body.requests;
  assert.equal(entry.bodyTruncated, true);
  assert.equal(entry.http.body.length, 64 * 1024);
});

test('the ring keeps the newest --journal-size entries, and size 0 records nothing', async (t) => {
  const small = await startMockd(t, { journalSize: 3 });
  for (let i = 1; i <= 5; i++) await fetchWithTimeout(`${small.mockUrl}/n${i}`);
  const kept = (await small.api('/requests')).body;
  assert.equal(kept.total, 3);
  assert.deepEqual(kept.requests.map((e: any) => e.http.path), ['/n3', '/n4', '/n5']);
  const off = await startMockd(t, { journalSize: 0 });
  await fetchWithTimeout(`${off.mockUrl}/x`);
  assert.equal((await off.api('/requests')).body.total, 0);
});

test('wait returns as soon as a matching request arrives, and passed false on timeout', async (t) => {
  const m = await startMockd(t);
  const t0 = performance.now();
  const waiting = m.api('/requests/wait', { method: 'POST', body: { filter: { protocol: 'http', path: '/awaited' }, count: 2, timeoutMs: 10_000 } });
  await fetchWithTimeout(`${m.mockUrl}/not-this-one`);
  await fetchWithTimeout(`${m.mockUrl}/awaited`);
  await fetchWithTimeout(`${m.mockUrl}/awaited?again=1`);
  const r = await waiting;
  assert.equal(r.status, 200);
  assert.equal(r.body.passed, true);
  assert.deepEqual(r.body.requests.map((e: any) => e.http.path), ['/awaited', '/awaited']);
  assert.ok(performance.now() - t0 < 5000, 'answered well before its timeout');
  const timeout = await m.api('/requests/wait', { method: 'POST', body: { filter: { path: '/never' }, timeoutMs: 200 } });
  assert.deepEqual(timeout.body, { passed: false, requests: [] });
  const tooLong = await m.api('/requests/wait', { method: 'POST', body: { timeoutMs: 60_001 } });
  assert.equal(tooLong.status, 400);
});

test('verify and invocations count a mock\'s HTTP calls, and survive its updates until cleared', async (t) => {
  const m = await startMockd(t);
  const mock = await m.createMock({ http: { matcher: { path: '/v' }, response: { statusCode: 200 } } });
  assert.deepEqual((await m.api(`/mocks/${mock.id}/verify`)).body, { mockId: mock.id, callCount: 0 });
  await fetchWithTimeout(`${m.mockUrl}/v`);
  await fetchWithTimeout(`${m.mockUrl}/v`);
  await m.api(`/mocks/${mock.id}`, { method: 'PATCH', body: { name: 'renamed' } });
  const v = (await m.api(`/mocks/${mock.id}/verify`)).body;
  assert.equal(v.callCount, 2);
  assert.match(v.lastCalledAt, /Z$/);
  const cases: [Record<string, unknown>, boolean, string][] = [
    [{ exactly: 2 }, true, 'exactly 2'],
    [{ atLeast: 3 }, false, 'at least 3'],
    [{ atMost: 2 }, true, 'at most 2'],
    [{ never: true }, false, 'never'],
    [{ atLeast: 1, atMost: 5 }, true, 'at least 1 and at most 5'],
  ];
  for (const [body, passed, expected] of cases) {
    const r = (await m.api(`/mocks/${mock.id}/verify`, { method: 'POST', body })).body;
    assert.equal(r.passed, passed, JSON.stringify(body));
    assert.equal(r.actual, 2);
    assert.equal(r.expected, expected);
    assert.equal(typeof r.message, 'string');
  }
  assert.equal((await m.api(`/mocks/${mock.id}/verify`, { method: 'POST', body: {} })).status, 400);
  assert.equal((await m.api('/mocks/nope/verify')).status, 404);
  const inv = (await m.api(`/mocks/${mock.id}/invocations?limit=1`)).body;
  assert.equal(inv.total, 2);
  assert.equal(inv.count, 1);
  assert.equal(inv.invocations[0].mockId, mock.id);
  assert.deepEqual((await m.api(`/mocks/${mock.id}/invocations`, { method: 'DELETE' })).body, { message: 'Invocations cleared', cleared: 2 });
  assert.equal((await m.api(`/mocks/${mock.id}/verify`)).body.callCount, 0);
});
