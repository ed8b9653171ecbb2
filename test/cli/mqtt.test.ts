import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once, type EventEmitter } from 'node:events';
import { spawn } from 'node:child_process';
import mqtt from 'mqtt';
import { BIN, ROOT, eventually, runCli, startMockd } from '../helpers/mockd.ts';

async function connectClient(t: { after(fn: () => unknown): void }, port: number, clientId: string) {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId, reconnectPeriod: 0, protocolVersion: 4 });
  t.after(() => client.endAsync(true));
  await once(client as unknown as EventEmitter, 'connect', { signal: AbortSignal.timeout(5000) });
  return client;
}

test('mockd mqtt stats and connections print the contract tables and JSON', async (t) => {
  const m = await startMockd(t);
  const mock = await m.createMock({ id: 'broker-a', mqtt: { port: 0, topics: [{ topic: 'a/b' }] } });
  const port = mock.mqtt.port;
  assert.ok(port > 0);
  const client = await connectClient(t, port, 'sensor-7');
  await client.subscribeAsync(['cmd/sensor-7/#', 'a/b']);
  const admin = ['--admin-url', m.adminUrl];

  const stats = await runCli(['mqtt', 'stats', ...admin]);
  assert.equal(stats.code, 0, stats.stderr);
  assert.match(stats.stdout, /^Connected Clients: 1$/m);
  assert.match(stats.stdout, /^Total Connections: 1$/m);
  assert.match(stats.stdout, /^Total Subscriptions: 2$/m);
  assert.match(stats.stdout, /^Topic Count: 2$/m);
  assert.match(stats.stdout, new RegExp(`^Port: ${port}$`, 'm'));
  assert.match(stats.stdout, /^TLS Enabled: false$/m);
  assert.match(stats.stdout, /^ {2}broker-a: 1$/m);
  const statsJson = JSON.parse((await runCli(['mqtt', 'stats', ...admin, '--json'])).stdout);
  assert.equal(statsJson.connectedClients, 1);
  assert.deepEqual(statsJson.connectionsByMock, { 'broker-a': 1 });

  const list = await runCli(['mqtt', 'connections', 'ls', ...admin]);
  const lines = list.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^ID\s{2,}MOCK ID\s{2,}REMOTE ADDR\s{2,}USERNAME\s{2,}SUBSCRIPTIONS\s{2,}CONNECTED\s{2,}STATUS$/);
  assert.match(lines[1]!, /^sensor-7\s{2,}broker-a\s{2,}127\.0\.0\.1:\d+\s{2,}-\s{2,}2 topic\(s\)\s{2,}\d+s\s{2,}connected$/);
  assert.equal(lines[2], 'Total: 1 connection(s)');

  const get = await runCli(['mqtt', 'connections', 'get', 'sensor-7', ...admin]);
  assert.match(get.stdout, /^ID: sensor-7$/m);
  assert.match(get.stdout, /^Subscriptions: cmd\/sensor-7\/#, a\/b$/m);
  assert.match(get.stdout, /^Protocol Version: 4$/m);

  const closed = once(client as unknown as EventEmitter, 'close', { signal: AbortSignal.timeout(5000) });
  const close = await runCli(['mqtt', 'connections', 'close', 'sensor-7', ...admin, '--json']);
  assert.deepEqual(JSON.parse(close.stdout), { id: 'sensor-7', closed: true });
  await closed;
  const empty = await runCli(['mqtt', 'connections', 'list', ...admin]);
  assert.equal(empty.stdout, 'No active MQTT connections\n');
});

test('mockd mqtt publish and subscribe exchange a message through a broker mock', async (t) => {
  const m = await startMockd(t);
  const mock = await m.createMock({ mqtt: { port: 0, topics: [{ topic: 'greet' }] } });
  const port = String(mock.mqtt.port);
  const sub = spawn(process.execPath, [BIN, 'mqtt', 'subscribe', 'greet/#', '--port', port, '--count', '1', '--timeout', '90'], { cwd: ROOT });
  t.after(() => sub.kill('SIGKILL'));
  // Listen for the exit before publishing: the subscriber can exit before the publisher's own process does.
  const exited = once(sub, 'exit', { signal: AbortSignal.timeout(120_000) });
  let out = '';
  sub.stdout.on('data', (d) => (out += d));
  // Publish only once the subscriber is connected and subscribed, as the admin API shows it.
  await eventually(
    () => m.api('/mqtt-connections'),
    (r) => r.body.connections.some((c: any) => c.subscriptions.includes('greet/#')),
    45_000,
  );
  const pub = await runCli(['mqtt', 'publish', 'greet/world', 'hello there', '--port', port, '--qos', '1']);
  assert.equal(pub.code, 0, pub.stderr);
  assert.equal(pub.stdout, 'Published to greet/world (qos 1)\n');
  const [code] = await exited;
  assert.equal(code, 0);
  assert.equal(out, 'greet/world hello there\n');
});
