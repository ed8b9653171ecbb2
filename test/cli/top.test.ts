// `mockd top` / `mockd stats` (issue 23): `--once --json` says what `/metrics` says, the live view refreshes every
// second and shows connection events from `/events`, and the protocol groups' own `stats` commands are untouched.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import WebSocket from 'ws';
import mqtt from 'mqtt';
import { BIN, ROOT, runCli, startMockd } from '../helpers/mockd.ts';
import { deferred, fetchWithTimeout, processExit, within } from '../helpers/wait.ts';
import { scrape, valueOf } from '../helpers/metrics.ts';

test('mockd top --once --json matches /metrics: totals, errors, connections and the busiest mocks', async (t) => {
  const m = await startMockd(t);
  await m.createMock({ id: 'top_http', type: 'http', http: { matcher: { path: '/busy' }, response: { statusCode: 200 } } });
  await m.createMock({ id: 'top_quiet', type: 'http', http: { matcher: { path: '/quiet' }, response: { statusCode: 500 } } });
  await m.createMock({ id: 'top_ws', type: 'websocket', websocket: { path: '/top', echoMode: true } });
  const mq = await m.createMock({ id: 'top_mqtt', type: 'mqtt', mqtt: { port: 0, topics: [{ topic: 't' }] } });
  for (let i = 0; i < 12; i++) await (await fetchWithTimeout(`${m.mockUrl}/busy`)).text();
  for (let i = 0; i < 2; i++) await (await fetchWithTimeout(`${m.mockUrl}/quiet`)).text();
  await (await fetchWithTimeout(`${m.mockUrl}/unknown`)).text();
  const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/top`);
  t.after(() => ws.terminate());
  await once(ws, 'open', { signal: AbortSignal.timeout(10_000) });
  for (let i = 0; i < 3; i++) {
    ws.send('x');
    await once(ws, 'message', { signal: AbortSignal.timeout(10_000) });
  }
  const client = mqtt.connect(`mqtt://127.0.0.1:${mq.mqtt.port}`, { reconnectPeriod: 0, protocolVersion: 4 });
  t.after(() => client.end(true));
  await once(client as any, 'connect', { signal: AbortSignal.timeout(10_000) });
  for (let i = 0; i < 4; i++) await client.publishAsync('t', 'p', { qos: 1 });

  const r = await runCli(['top', '--once', '--json', '--admin-url', m.adminUrl]);
  assert.equal(r.code, 0, r.stderr);
  const view = JSON.parse(r.stdout);
  const f = await scrape(`${m.adminUrl}/metrics`);
  for (const p of ['http', 'websocket', 'sse', 'mqtt', 'grpc']) {
    assert.equal(view.protocols[p].requests, valueOf(f, 'mockd_requests_total', { protocol: p }), `${p} requests`);
    assert.equal(view.protocols[p].messages, valueOf(f, 'mockd_messages_total', { protocol: p }), `${p} messages`);
    assert.equal(view.protocols[p].connections, valueOf(f, 'mockd_connections', { protocol: p }), `${p} connections`);
  }
  assert.equal(view.protocols.http.requests, 15);
  // The unmatched request and the two 500s.
  assert.equal(view.protocols.http.errors, 3);
  assert.equal(view.protocols.websocket.messages, 6);
  assert.equal(view.protocols.websocket.connections, 1);
  assert.equal(view.protocols.mqtt.messages, 4);
  assert.equal(view.protocols.mqtt.connections, 1);
  assert.ok(view.protocols.http.p50Ms > 0 && view.protocols.http.p99Ms >= view.protocols.http.p50Ms);
  assert.equal(view.protocols.grpc.p50Ms, null);
  assert.deepEqual(view.busiestMocks.slice(0, 2).map((b: any) => [b.mockId, b.requests + b.messages]), [['top_http', 12], ['top_ws', 6]]);
  assert.equal(view.busiestMocks[0].requests, valueOf(f, 'mockd_requests_total', { mock_id: 'top_http' }));

  const text = await runCli(['stats', '--once', '--admin-url', m.adminUrl]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^PROTOCOL\s+REQ\/S\s+MSG\/S\s+P50 MS\s+P99 MS\s+CONNS\s+ERRORS\s+TOTAL$/m);
  assert.match(text.stdout, /^http\s+\S+\s+\S+\s+\S+\s+\S+\s+0\s+3\s+15$/m);
  assert.match(text.stdout, /^top_http\s+http\s+/m);

  // The groups' `stats` are longer commands and keep their meaning.
  const wsStats = await runCli(['websocket', 'stats', '--json', '--admin-url', m.adminUrl]);
  assert.equal(wsStats.code, 0, wsStats.stderr);
  assert.equal(JSON.parse(wsStats.stdout).activeConnections, 1);
});

test('the live view refreshes every second and shows the connection events of /events', async (t) => {
  const m = await startMockd(t);
  await m.createMock({ id: 'live_ws', type: 'websocket', websocket: { path: '/live', echoMode: true } });
  const child = spawn(process.execPath, [BIN, 'top', '--admin-url', m.adminUrl], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  let check = () => {};
  child.stdout!.on('data', (d) => ((out += d), check()));
  const screens = () => (out.match(/^mockd top: /gm) ?? []).length;
  const seen = (predicate: () => boolean, what: string) => {
    const done = deferred();
    check = () => (predicate() ? done.resolve() : undefined);
    check();
    return within(done.promise, what, 15_000);
  };
  await seen(() => screens() >= 1, 'the first screen');
  const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/live`);
  t.after(() => ws.terminate());
  await once(ws, 'open', { signal: AbortSignal.timeout(10_000) });
  await seen(() => /connection\.opened websocket \S+ \(live_ws\)/.test(out) && /^websocket\s+\S+\s+\S+\s+\S+\s+\S+\s+1\s/m.test(out), 'a screen with the connection');
  child.kill('SIGINT');
  const { code } = await processExit(child, 'mockd top to exit on SIGINT', 10_000);
  assert.equal(code, 0);
  assert.ok(screens() >= 2);
});
