import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import { eventually, runCli, startMockd } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

test('mockd websocket connections list/get/send/close and stats print the contract tables and JSON', async (t) => {
  const m = await startMockd(t);
  const add = await runCli(['add', 'ws', '--admin-url', m.adminUrl, '--path', '/ws/chat', '--id', 'chat']);
  assert.equal(add.stdout, 'Created mock: chat\n  Type: websocket\n  Path: /ws/chat\n');
  const admin = ['--admin-url', m.adminUrl];
  const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/ws/chat`);
  t.after(() => ws.terminate());
  await once(ws, 'open', { signal: AbortSignal.timeout(5000) });
  ws.send('hi');
  await once(ws, 'message', { signal: AbortSignal.timeout(5000) });
  const id = (await m.api('/websocket/connections')).body.connections[0].id;

  const list = await runCli(['ws', 'connections', 'list', ...admin]);
  const lines = list.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^ID\s{2,}PATH\s{2,}MOCK ID\s{2,}CONNECTED\s{2,}MSG SENT\s{2,}MSG RECV\s{2,}STATUS$/);
  assert.match(lines[1]!, new RegExp(`^${id}\\s{2,}/ws/chat\\s{2,}chat\\s{2,}\\d+s\\s{2,}1\\s{2,}1\\s{2,}connected$`));
  assert.equal(lines[2], 'Total: 1 connection(s)');
  const listJson = JSON.parse((await runCli(['websocket', 'connections', 'ls', ...admin, '--json'])).stdout);
  assert.equal(listJson.connections[0].id, id);
  assert.equal(listJson.stats.activeConnections, 1);

  const get = await runCli(['websocket', 'connections', 'get', id, ...admin]);
  assert.match(get.stdout, new RegExp(`^ID: ${id}$`, 'm'));
  assert.match(get.stdout, /^Mock ID: chat$/m);
  assert.match(get.stdout, /^Messages Sent: 1$/m);

  const textArrived = once(ws, 'message', { signal: AbortSignal.timeout(5000) });
  const sendText = await runCli(['websocket', 'connections', 'send', id, 'from the cli', ...admin]);
  assert.equal(sendText.stdout, `Sent text message to connection ${id}\n`);
  const [text, isBinary] = await textArrived;
  assert.equal(String(text), 'from the cli');
  assert.equal(isBinary, false);
  const binArrived = once(ws, 'message', { signal: AbortSignal.timeout(5000) });
  const sendBin = await runCli(['ws', 'connections', 'send', id, 'AAEC/w==', '--binary', ...admin, '--json']);
  assert.deepEqual(JSON.parse(sendBin.stdout), { id, sent: true, type: 'binary' });
  const [bin, isBin] = await binArrived;
  assert.equal(isBin, true);
  assert.deepEqual([...(bin as Buffer)], [0, 1, 2, 255]);

  const stats = await runCli(['websocket', 'stats', ...admin]);
  assert.match(stats.stdout, /^Total Connections: 1$/m);
  assert.match(stats.stdout, /^Active Connections: 1$/m);
  assert.match(stats.stdout, /^Total Messages Sent: 3$/m);
  assert.match(stats.stdout, /^Total Messages Recv: 1$/m);
  assert.match(stats.stdout, /^ {2}chat: 1$/m);

  const closed = once(ws, 'close', { signal: AbortSignal.timeout(5000) });
  const close = await runCli(['ws', 'connections', 'close', id, ...admin]);
  assert.equal(close.stdout, `Closed WebSocket connection: ${id}\n`);
  const [code] = await closed;
  assert.equal(code, 1000);
  assert.equal((await runCli(['ws', 'connections', 'ls', ...admin])).stdout, 'No active WebSocket connections\n');
});

test('mockd add sse, sse connections list/get/close and sse stats', async (t) => {
  const m = await startMockd(t);
  const admin = ['--admin-url', m.adminUrl];
  const add = await runCli(['add', 'http', '--sse', '--path', '/ticks', '--id', 'ticks', '--sse-event', 'tick:{"n":1}', '--sse-repeat', '0', '--sse-delay', '300', ...admin]);
  assert.equal(add.code, 0, add.stderr);
  assert.equal(add.stdout, 'Created mock: ticks\n  Type: http\n  Path: /ticks\n  Status: sse\n');
  const mock = (await m.api('/mocks/ticks')).body;
  assert.deepEqual(mock.http.sse.generator, { type: 'template', template: { events: [{ type: 'tick', data: { n: 1 } }], repeat: 0 } });
  assert.deepEqual(mock.http.sse.timing, { fixedDelay: 300 });

  const ac = new AbortController();
  t.after(() => ac.abort());
  const res = await fetchWithTimeout(`${m.mockUrl}/ticks`, { signal: ac.signal, headers: { 'User-Agent': 'cli-test' } });
  const reader = res.body!.getReader();
  await reader.read();
  const { body } = await eventually(() => m.api('/sse/connections'), (r) => r.body.connections.length === 1);
  const id = body.connections[0].id;

  const list = await runCli(['sse', 'connections', 'ls', ...admin]);
  const lines = list.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^ID\s{2,}PATH\s{2,}MOCK ID\s{2,}CLIENT IP\s{2,}CONNECTED\s{2,}EVENTS\s{2,}STATUS$/);
  assert.match(lines[1]!, new RegExp(`^${id}\\s{2,}/ticks\\s{2,}ticks\\s{2,}127\\.0\\.0\\.1:\\d+\\s{2,}\\d+s\\s{2,}\\d+\\s{2,}active$`));
  assert.equal(lines[2], 'Total: 1 connection(s)');
  const get = await runCli(['sse', 'connections', 'get', id, ...admin]);
  assert.match(get.stdout, /^User Agent: cli-test$/m);
  const stats = await runCli(['sse', 'stats', ...admin, '--json']);
  assert.equal(JSON.parse(stats.stdout).activeConnections, 1);

  const close = await runCli(['sse', 'connections', 'close', id, ...admin, '--json']);
  assert.deepEqual(JSON.parse(close.stdout), { id, closed: true });
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
  }
  assert.equal((await runCli(['sse', 'connections', 'list', ...admin])).stdout, 'No active SSE connections\n');
});
