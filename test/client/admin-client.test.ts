import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MockdClient, MockdError, startMockd } from '../../src/index.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

test('the typed client drives mocks and the journal, and rejects with the contract error codes', async (t) => {
  const m = await startMockd({ port: 0, adminPort: 0, persist: false, logLevel: 'error' });
  t.after(() => m.close());
  const client = new MockdClient(m.adminUrl);
  const created = await client.createMock({ id: 'c1', http: { matcher: { path: '/c' }, response: { statusCode: 200, body: 'c' } } });
  assert.equal(created.action, 'created');
  assert.equal((await client.listMocks()).total, 1);
  const waiting = client.waitFor({ path: '/c' }, { timeoutMs: 5000 });
  let settled = false;
  void waiting.then(() => (settled = true), () => (settled = true));
  // The wait sees only requests that reach mockd after it does, and nothing orders the two: so send until the wait
  // has answered (once, or a few times), never a request that might come too early to be seen.
  let sent = 0;
  do {
    assert.equal(await (await fetchWithTimeout(`${m.mockUrl}/c`)).text(), 'c');
    sent++;
  } while (!settled && sent < 100);
  const waited = await waiting;
  assert.equal(waited.passed, true);
  assert.ok(waited.requests.length >= 1 && waited.requests.every((e) => e.http?.path === '/c'), JSON.stringify(waited.requests));
  assert.equal((await client.verify('c1', { exactly: sent })).passed, true);
  await assert.rejects(client.getMock('missing'), (err: unknown) => err instanceof MockdError && err.code === 'not_found' && err.status === 404);
  await assert.rejects(
    client.createMock({ http: { matcher: { path: '/x' }, response: { statusCode: 1 } } }),
    (err: unknown) => err instanceof MockdError && err.code === 'validation_error' && err.field === 'http.response.statusCode',
  );
  await client.deleteMock('c1');
  assert.equal((await client.listMocks()).total, 0);
});

test('the typed client puts faults on connections and drives chaos', async (t) => {
  const m = await startMockd({ port: 0, adminPort: 0, persist: false, logLevel: 'error' });
  t.after(() => m.close());
  const client = new MockdClient(m.adminUrl);
  await client.createMock({ id: 'h', http: { matcher: { path: '/h' }, response: { statusCode: 200 } } });
  const applied = await client.applyChaosProfile('flaky');
  assert.equal(applied.profile, 'flaky');
  assert.equal((await client.chaos()).enabled, true);
  await client.setChaos({ enabled: true, errorRate: 1, errorStatus: 418 });
  assert.equal((await fetchWithTimeout(`${m.mockUrl}/h`)).status, 418);
  await client.setChaos({ enabled: false });
  assert.equal((await fetchWithTimeout(`${m.mockUrl}/h`)).status, 200);
  await assert.rejects(client.faultConnection('websocket', 'ws-404', { kind: 'drop' }), (err: unknown) => err instanceof MockdError && err.code === 'not_found');
  await assert.rejects(client.liftConnectionFault('sse', 'sse-404'), (err: unknown) => err instanceof MockdError && err.code === 'not_found');
});
