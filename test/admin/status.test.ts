import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

test('mock port health and readiness answer before any mock and count enabled mocks', async (t) => {
  const m = await startMockd(t);
  const health = await (await fetchWithTimeout(`${m.mockUrl}/__mockd/health`)).json();
  assert.equal(health.status, 'healthy');
  assert.ok(Math.abs(Date.parse(health.timestamp) - Date.now()) < 5000);
  await m.createMock({ http: { matcher: { path: '/a' }, response: { statusCode: 200 } } });
  await m.createMock({ enabled: false, http: { matcher: { path: '/b' }, response: { statusCode: 200 } } });
  const ready = await (await fetchWithTimeout(`${m.mockUrl}/__mockd/ready`)).json();
  assert.deepEqual(ready, { status: 'ready', checks: { mocks: { count: 1, status: 'ok' } } });
});

test('health routes on the mock port win over a mock on the same path', async (t) => {
  const m = await startMockd(t);
  await m.createMock({ http: { matcher: { path: '/__mockd/health' }, response: { statusCode: 500, body: 'shadow' } } });
  const res = await fetchWithTimeout(`${m.mockUrl}/__mockd/health`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).status, 'healthy');
});

test('admin /health reports ok with whole-second uptime, and /ready is ready', async (t) => {
  const m = await startMockd(t);
  const h = await m.api('/health');
  assert.equal(h.status, 200);
  assert.equal(h.body.status, 'ok');
  assert.ok(Number.isInteger(h.body.uptime));
  assert.deepEqual((await m.api('/ready')).body, { status: 'ready' });
});

test('/ports lists the mock server and the admin API sorted by port', async (t) => {
  const m = await startMockd(t);
  const { body } = await m.api('/ports');
  const mine = body.ports.filter((p: any) => p.component === 'mock-server' || p.component === 'admin-api');
  assert.deepEqual(
    mine.map((p: any) => [p.component, p.port, p.protocol, p.status]).sort(),
    [['admin-api', m.adminPort, 'http', 'listening'], ['mock-server', m.mockPort, 'http', 'listening']].sort(),
  );
  const ports = body.ports.map((p: any) => p.port);
  assert.deepEqual(ports, [...ports].sort((a: number, b: number) => a - b));
});

test('/handlers lists enabled SSE mocks with version counting re-registrations, and no plain HTTP mocks', async (t) => {
  const m = await startMockd(t);
  await m.createMock({ http: { matcher: { path: '/plain' }, response: { statusCode: 200 } } });
  const sse = await m.createMock({ http: { matcher: { path: '/stream' }, sse: { events: [{ data: 'x' }] } } });
  let { body } = await m.api('/handlers');
  assert.equal(body.total, 1);
  assert.equal(body.handlers[0].id, sse.id);
  assert.equal(body.handlers[0].type, 'sse');
  assert.equal(body.handlers[0].path, '/stream');
  assert.equal(body.handlers[0].port, m.mockPort);
  assert.equal(body.handlers[0].status, 'running');
  assert.equal(body.handlers[0].connections, 0);
  assert.equal(body.handlers[0].version, 1);
  await m.api(`/mocks/${sse.id}`, { method: 'PATCH', body: { name: 'renamed' } });
  ({ body } = await m.api('/handlers'));
  assert.equal(body.handlers[0].version, 2);
  await m.api(`/mocks/${sse.id}/toggle`, { method: 'POST' });
  ({ body } = await m.api('/handlers'));
  assert.equal(body.total, 0);
});
