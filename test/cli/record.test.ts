// `mockd record …`, `mockd snapshot` and `mockd record stop --snapshot` (issue 21) as a subprocess against a real
// mockd and a real upstream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startMockd } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';
import { startHttpUpstream } from '../recording/helpers.ts';

test('record http prints where to point clients; snapshot --dry-run lists the mocks; record stop --snapshot replaces the proxy', async (t) => {
  const upstream = await startHttpUpstream(t);
  const m = await startMockd(t);
  const admin = ['--admin-url', m.adminUrl];
  const rec = await runCli(['record', 'http', '--upstream', upstream.url, '--path', '/api', '--id', 'rec', ...admin]);
  assert.equal(rec.code, 0, rec.stderr);
  assert.match(rec.stdout, /^Recording http through mock: rec$/m);
  assert.match(rec.stdout, new RegExp(`Point clients at: ${m.mockUrl}/api`));
  const first = await fetchWithTimeout(`${m.mockUrl}/api/users?q=z`);
  const recorded = await first.text();
  assert.equal(first.status, 200);

  const dry = await runCli(['snapshot', '--mock', 'rec', '--timing', '2x', '--dry-run', ...admin]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^Would create 1 mock\(s\) from 1 journal entry$/m);
  assert.match(dry.stdout, /snapshot GET \/api\/users/);

  const bad = await runCli(['snapshot', '--timing', 'soon', ...admin]);
  assert.equal(bad.code, 2);

  const stop = await runCli(['record', 'stop', 'rec', '--snapshot', ...admin]);
  assert.equal(stop.code, 0, stop.stderr);
  assert.match(stop.stdout, /^Stopped recording: rec$/m);
  assert.match(stop.stdout, /^Created 1 mock\(s\) from 1 journal entry$/m);
  await upstream.stop();
  const replayed = await fetchWithTimeout(`${m.mockUrl}/api/users?q=z`);
  assert.equal(replayed.status, 200);
  assert.equal(await replayed.text(), recorded);
  assert.equal((await m.api('/mocks/rec')).status, 404);
});

test('record ws creates a websocket proxy and prints its ws:// address', async (t) => {
  const m = await startMockd(t);
  const rec = await runCli(['record', 'ws', '--upstream', 'ws://127.0.0.1:9/feed', '--path', '/feed', ...['--admin-url', m.adminUrl]]);
  assert.equal(rec.code, 0, rec.stderr);
  assert.match(rec.stdout, new RegExp(`Point clients at: ${m.mockUrl.replace('http', 'ws')}/feed`));
  const missing = await runCli(['record', 'http', '--admin-url', m.adminUrl]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--upstream is required/);
});

test('record mqtt and record grpc create proxies on their own ports and print them', async (t) => {
  const m = await startMockd(t);
  const admin = ['--admin-url', m.adminUrl];
  const mqtt = await runCli(['record', 'mqtt', '--upstream', 'mqtt://127.0.0.1:9', '--topic', 'a/#', '--id', 'mq', ...admin]);
  assert.equal(mqtt.code, 0, mqtt.stderr);
  const mq = (await m.api('/mocks/mq')).body;
  assert.deepEqual(mq.mqtt.proxy, { upstream: 'mqtt://127.0.0.1:9', topics: ['a/#'] });
  assert.match(mqtt.stdout, new RegExp(`Point clients at: mqtt://127\\.0\\.0\\.1:${mq.mqtt.port}$`, 'm'));
  const grpc = await runCli(['record', 'grpc', '--upstream', '127.0.0.1:9', '--proto', 'test/fixtures/grpc/helloworld.proto', '--id', 'gp', ...admin]);
  assert.equal(grpc.code, 0, grpc.stderr);
  const gp = (await m.api('/mocks/gp')).body;
  assert.equal(gp.grpc.proxy.upstream, '127.0.0.1:9');
  assert.match(grpc.stdout, new RegExp(`Point clients at: 127\\.0\\.0\\.1:${gp.grpc.port}$`, 'm'));
  const noProto = await runCli(['record', 'grpc', '--upstream', '127.0.0.1:9', ...admin]);
  assert.equal(noProto.code, 2);
});
