// Structured logs (issue 23): `--log-format json` writes one valid JSON object a line, `--log-level` filters,
// `--log-requests` logs every journaled request from the worker that served it, and the env variables do the same.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import { adminClient, eventually, spawnMockd } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

const HTTP_MOCK = { id: 'log_http', type: 'http', http: { matcher: { method: 'GET', path: '/logged' }, response: { statusCode: 200, body: 'ok' } } };

test('--log-format json --log-requests writes one JSON object a line, each request with its worker', async (t) => {
  const m = await spawnMockd(t, ['--no-persist', '--log-format', 'json', '--log-level', 'debug', '--log-requests']);
  const admin = adminClient(m.adminUrl);
  await admin.createMock(HTTP_MOCK);
  await admin.createMock({ id: 'log_ws', type: 'websocket', websocket: { path: '/logws', echoMode: true } });
  for (let i = 0; i < 3; i++) assert.equal((await fetchWithTimeout(`${m.mockUrl}/logged`)).status, 200);
  assert.equal((await fetchWithTimeout(`${m.mockUrl}/missing`)).status, 404);
  const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/logws`);
  t.after(() => ws.terminate());
  await once(ws, 'open', { signal: AbortSignal.timeout(10_000) });
  ws.send('hello');
  await once(ws, 'message', { signal: AbortSignal.timeout(10_000) });
  // Worker lines reach the process's stderr a moment after the request (threads write through the main thread).
  await eventually(() => m.stderr(), (err) => (err.match(/"protocol":"websocket"/g) ?? []).length >= 2);
  assert.equal(await m.stop(), 0);

  const lines = m.stderr().split('\n').filter((l) => l !== '');
  assert.ok(lines.length >= 6);
  const objects = lines.map((l) => {
    const o = JSON.parse(l) as Record<string, unknown>;
    assert.equal(typeof o.time, 'string');
    assert.match(String(o.level), /^(DEBUG|INFO|WARN|ERROR)$/);
    assert.equal(typeof o.msg, 'string');
    return o;
  });
  const requests = objects.filter((o) => typeof o.id === 'string' && String(o.id).startsWith('req-'));
  const http = requests.filter((o) => o.protocol === 'http');
  assert.equal(http.length, 4);
  assert.equal(http.filter((o) => o.mockId === 'log_http' && o.matched === true).length, 3);
  assert.ok(http.some((o) => o.matched === false && /GET \/missing 404/.test(String(o.msg))));
  assert.equal(requests.filter((o) => o.protocol === 'websocket').length, 2);
  for (const r of requests) assert.equal(r.worker, 'http', 'each request line names the worker that served it');
  assert.ok(objects.some((o) => o.level === 'INFO' && /SIGTERM/.test(String(o.msg))));
});

test('MOCKD_LOG_FORMAT and MOCKD_LOG_LEVEL set the format and the level; text lines name the worker', async (t) => {
  const quiet = await spawnMockd(t, ['--no-persist', '--log-requests'], { MOCKD_LOG_FORMAT: 'json', MOCKD_LOG_LEVEL: 'warn' });
  await adminClient(quiet.adminUrl).createMock(HTTP_MOCK);
  assert.equal((await fetchWithTimeout(`${quiet.mockUrl}/logged`)).status, 200);
  assert.equal(await quiet.stop(), 0);
  // At warn, neither the request lines nor the shutdown line (info) are written.
  assert.equal(quiet.stderr().trim(), '');

  const text = await spawnMockd(t, ['--no-persist', '--log-requests']);
  await adminClient(text.adminUrl).createMock(HTTP_MOCK);
  assert.equal((await fetchWithTimeout(`${text.mockUrl}/logged`)).status, 200);
  await eventually(() => text.stderr(), (err) => err.includes('GET /logged'));
  assert.equal(await text.stop(), 0);
  assert.match(text.stderr(), /^\[mockd\] info: \[http\] GET \/logged 200 /m);
  assert.match(text.stderr(), /^\[mockd\] info: SIGTERM received, shutting down$/m);
});
