// A Go mockd user's scripts run unchanged (issue 24): the Go mockd's CI smoke sequence, the `start`/`serve` flags it
// documents, `add` as an upsert, bare `connections`, and the title lines and labels its CLI prints.

import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once, type EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, connect as netConnect } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import mqtt from 'mqtt';
import { BIN, ROOT, eventually, runCli, startMockd, tempDir } from '../helpers/mockd.ts';

const PROTO = join(ROOT, 'test/fixtures/grpc/helloworld.proto');

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

interface Started {
  mockUrl: string;
  adminUrl: string;
  stderr(): string;
}

/** Runs `mockd <args>` as a long-lived subprocess, the way a shell script's `mockd serve … &` does. */
async function spawnServer(t: TestContext, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const urls = await new Promise<{ mockUrl: string; adminUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mockd did not start in 60 s; stderr: ${err}`)), 60_000);
    const check = () => {
      const mock = /Mock server: (\S+)/.exec(out);
      const admin = /Admin API: (\S+)/.exec(out);
      if (mock && admin) {
        clearTimeout(timer);
        resolve({ mockUrl: mock[1]!, adminUrl: admin[1]! });
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mockd exited with ${code} before starting; stderr: ${err}`));
    });
  });
  return { ...urls, stderr: () => err };
}

describe("the Go mockd's CI smoke sequence", () => {
  test('runs unchanged: version, serve --no-auth … --log-level warn, /health, add, list, fetch', async (t) => {
    const version = await runCli(['version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^mockd v\d+\.\d+\.\d+/);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);

    // `./mockd serve --no-auth --port 4280 --admin-port 4290 --log-level warn &` with the ports made free ones.
    const dataDir = tempDir(t);
    const server = await spawnServer(t, ['serve', '--no-auth', '--port', '0', '--admin-port', '0', '--log-level', 'warn'], {
      MOCKD_DATA_DIR: dataDir,
      MOCKD_API_KEY: 'set-in-the-environment',
    });
    const health = await eventually(() => fetch(`${server.adminUrl}/health`).then((r) => r.status, () => 0), (s) => s === 200, 30_000);
    assert.equal(health, 200);

    const env = { MOCKD_ADMIN_URL: server.adminUrl, MOCKD_API_KEY: '' };
    const add = await runCli(['add', 'http', '--path', '/api/hello', '--status', '200', '--body', '{"message":"hello"}'], { env });
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /^Created mock: http_[0-9a-f]{16}$/m);
    const response = await fetch(`${server.mockUrl}/api/hello`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /hello/);

    const list = await runCli(['list'], { env });
    assert.equal(list.code, 0);
    assert.match(list.stdout, /\/api\/hello/);
    const listJson = JSON.parse((await runCli(['list', '--json'], { env })).stdout);
    assert.equal(listJson.length, 1);
    // --log-level warn: nothing at info level reached stderr.
    assert.doesNotMatch(server.stderr(), /info:/);
  });

  test('`mockd version --json` prints build details; `--version` and `-v` print the version', async () => {
    const json = await runCli(['version', '--json']);
    assert.equal(json.code, 0);
    assert.match(json.stdout, /^\{/);
    const info = JSON.parse(json.stdout);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(info.version, pkg.version);
    assert.equal(info.node, process.version);
    assert.equal(info.os, process.platform);
    assert.equal(info.arch, process.arch);
    for (const flag of ['--version', '-v']) {
      const r = await runCli([flag]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^mockd v${pkg.version.replace(/\./g, '\\.')}`));
    }
  });
});

describe('mockd start flags of the Go mockd', () => {
  test('Go-only flags start mockd with one warning line naming each; implemented ones keep their meaning', async (t) => {
    const server = await spawnServer(t, [
      'start', '--port', '0', '--admin-port', '0', '--no-persist', '--api-key', 'k', '--no-auth',
      '--tls-cert', 'server.crt', '--tls-key', 'server.key', '--https-port', '0', '--mcp', '--chaos-enabled', '--load', './mocks',
      '--max-log-entries', '3', '--log-format', 'json', '--log-level', 'warn', '--cors-origins', 'http://app.test',
      '--read-timeout', '30', '--write-timeout', '30', '--max-connections', '5',
    ]);
    const lines = server.stderr().trim().split('\n').map((l) => JSON.parse(l));
    const warned = lines.filter((l) => l.level === 'WARN').map((l) => /^--([a-z-]+) is not supported/.exec(l.msg)?.[1]);
    assert.deepEqual(warned.sort(), ['chaos-enabled', 'load', 'mcp', 'tls-cert', 'tls-key']);
    for (const l of lines) assert.equal(typeof l.time, 'string');

    // --no-auth wins over --api-key: the admin API answers without a key.
    assert.equal((await fetch(`${server.adminUrl}/mocks`)).status, 200);
    // --max-log-entries is --journal-size: the journal keeps the last 3 requests.
    for (let i = 0; i < 5; i++) await (await fetch(`${server.mockUrl}/nothing-${i}`)).text();
    const journal = await (await fetch(`${server.adminUrl}/requests`)).json();
    assert.equal(journal.total, 3);
    assert.deepEqual(journal.requests.map((r: any) => r.http.path), ['/nothing-2', '/nothing-3', '/nothing-4']);
    // --cors-origins as before.
    const preflight = await fetch(`${server.adminUrl}/mocks`, { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://app.test');
  });

  test('a flag neither mockd knows is still a usage error (exit 2)', async () => {
    const r = await runCli(['serve', '--port', '0', '--admin-port', '0', '--no-persist', '--tls-certificate', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown option `--tls-certificate`/);
    const bad = await runCli(['start', '--log-format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--log-format must be text or json/);
  });

  test('--read-timeout answers 408 to a request that stalls; --write-timeout cuts a slow response, not SSE', async (t) => {
    const server = await spawnServer(t, ['start', '--port', '0', '--admin-port', '0', '--no-persist', '--read-timeout', '1', '--write-timeout', '1']);
    const create = (mock: unknown) => fetch(`${server.adminUrl}/mocks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(mock) });
    assert.equal((await create({ http: { matcher: { path: '/slow' }, response: { statusCode: 200, body: 'late', delayMs: 3000 } } })).status, 201);
    assert.equal((await create({ http: { matcher: { path: '/fast' }, response: { statusCode: 200, body: 'quick' } } })).status, 201);
    assert.equal((await create({ http: { matcher: { path: '/stream' }, sse: { events: [{ data: 'a' }, { data: 'b', delay: 1500 }] } } })).status, 201);

    assert.equal(await (await fetch(`${server.mockUrl}/fast`)).text(), 'quick');
    await assert.rejects(fetch(`${server.mockUrl}/slow`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.text()), (err: Error) => err.name !== 'TimeoutError');

    // The second event comes 1.5 s in, past the 1 s write timeout: streams are exempt.
    const stream = await fetch(`${server.mockUrl}/stream`, { signal: AbortSignal.timeout(10_000) });
    const body = await stream.text();
    assert.match(body, /data:a\n\n/);
    assert.match(body, /data:b\n\n/);

    const url = new URL(server.mockUrl);
    const socket = netConnect(Number(url.port), url.hostname);
    t.after(() => socket.destroy());
    await once(socket, 'connect');
    // The request line and one header, then nothing: the Go mockd's ReadTimeout covers the headers too.
    socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    // Node answers a request that is not complete within requestTimeout with 408 and closes (checked every second).
    await once(socket, 'close', { signal: AbortSignal.timeout(10_000) });
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

  test('-d starts mockd in the background with a PID file; mockd stop stops it and the PID file goes', async (t) => {
    const dir = tempDir(t);
    const pidFile = join(dir, 'run', 'mockd.pid');
    const r = await runCli(['start', '-d', '--pid-file', pidFile, '--port', '0', '--admin-port', '0', '--no-persist', '--log-level', 'warn']);
    assert.equal(r.code, 0, r.stderr);
    const pid = Number(/^mockd started in background \(PID (\d+)\)$/m.exec(r.stdout)?.[1]);
    t.after(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    const adminUrl = /^Admin API: (\S+)$/m.exec(r.stdout)![1]!;
    assert.match(r.stdout, /^Mock server: http:\/\/127\.0\.0\.1:\d+$/m);
    const info = JSON.parse(readFileSync(pidFile, 'utf8'));
    assert.equal(info.pid, pid);
    assert.equal(info.adminApi, adminUrl);
    assert.equal(info.components.admin.port, Number(new URL(adminUrl).port));
    assert.equal((await fetch(`${adminUrl}/health`)).status, 200);
    assert.ok(existsSync(join(dir, 'run', 'daemon.log')));

    const stop = await runCli(['stop', '--pid-file', pidFile]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(stop.stdout, `Stopped mockd (PID ${pid})\n`);
    assert.equal(existsSync(pidFile), false);
    await assert.rejects(fetch(`${adminUrl}/health`));
    const again = await runCli(['stop', '--pid-file', pidFile]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no running mockd found/);
  });
});

describe('mockd add updates the mock that already answers the same thing', () => {
  test('HTTP: the same method and path is updated, unless --allow-duplicate', async (t) => {
    const m = await startMockd(t);
    const admin = ['--admin-url', m.adminUrl];
    const first = await runCli(['add', 'http', '--path', '/api/hello', '--body', 'one', ...admin]);
    const id = /^Created mock: (\S+)$/m.exec(first.stdout)![1];
    const second = await runCli(['add', 'http', '--path', '/api/hello', '--body', 'two', ...admin]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`^Updated mock: ${id}\\n  Type: http\\n  Method: GET\\n  Path: /api/hello\\n  Status: 200\\n$`));
    assert.equal(await (await fetch(`${m.mockUrl}/api/hello`)).text(), 'two');
    assert.equal((await m.api('/mocks')).body.total, 1);
    const list = await runCli(['list', ...admin]);
    assert.match(list.stdout, /Total: 1 mock\(s\)/);

    const post = await runCli(['add', '--method', 'POST', '--path', '/api/hello', '--body', 'posted', ...admin]);
    assert.match(post.stdout, /^Created mock: /);
    const dup = await runCli(['add', 'http', '--path', '/api/hello', '--body', 'three', '--allow-duplicate', ...admin, '--json']);
    assert.equal(JSON.parse(dup.stdout).action, 'created');
    assert.equal((await m.api('/mocks')).body.total, 3);
  });

  test('WebSocket by path, MQTT by topic and port, gRPC by service, method and port', async (t) => {
    const m = await startMockd(t);
    const admin = ['--admin-url', m.adminUrl];
    const ws1 = await runCli(['add', 'ws', '--path', '/ws/chat', '--message', 'first', ...admin]);
    const wsId = /^Created mock: (\S+)$/m.exec(ws1.stdout)![1];
    const ws2 = await runCli(['add', 'websocket', '--path', '/ws/chat', '--message', 'second', ...admin]);
    assert.match(ws2.stdout, new RegExp(`^Updated mock: ${wsId}$`, 'm'));
    assert.deepEqual((await m.api(`/mocks/${wsId}`)).body.websocket.defaultResponse, { type: 'text', value: 'second' });

    const mqttPort = String(await freePort());
    const mq1 = await runCli(['add', 'mqtt', '--mqtt-port', mqttPort, '--topic', 'sensors/temp', '--payload', '20', ...admin]);
    const mqttId = /^Created mock: (\S+)$/m.exec(mq1.stdout)![1];
    const mq2 = await runCli(['add', 'mqtt', '--mqtt-port', mqttPort, '--topic', 'sensors/humidity', '--payload', '50', ...admin]);
    assert.match(mq2.stdout, new RegExp(`^Merged into mock: ${mqttId}$`, 'm'));
    const mq3 = await runCli(['add', 'mqtt', '--mqtt-port', mqttPort, '--topic', 'sensors/temp', '--payload', '25', ...admin]);
    assert.equal(mq3.code, 0, mq3.stderr);
    assert.match(mq3.stdout, new RegExp(`^Updated mock: ${mqttId}$`, 'm'));
    const topics = (await m.api(`/mocks/${mqttId}`)).body.mqtt.topics;
    assert.deepEqual(topics.map((x: any) => [x.topic, x.messages[0].payload]), [['sensors/temp', '25'], ['sensors/humidity', '50']]);

    const grpcPort = String(await freePort());
    const grpcArgs = ['add', 'grpc', '--proto', PROTO, '--service', 'helloworld.Greeter', '--grpc-port', grpcPort, ...admin];
    const g1 = await runCli([...grpcArgs, '--rpc-method', 'SayHello', '--response', '{"message":"one"}']);
    const grpcId = /^Created mock: (\S+)$/m.exec(g1.stdout)![1];
    const g2 = await runCli([...grpcArgs, '--rpc-method', 'SayHello', '--response', '{"message":"two"}', '--json']);
    assert.equal(g2.code, 0, g2.stderr);
    const updated = JSON.parse(g2.stdout);
    assert.equal(updated.action, 'updated');
    assert.equal(updated.id, grpcId);
    assert.deepEqual(updated.mock.grpc.services['helloworld.Greeter'].methods.SayHello.response, { message: 'two' });
    assert.equal((await m.api('/mocks')).body.total, 3);
  });
});

describe("the Go mockd's connection commands and output", () => {
  test('bare `<protocol> connections` lists like `connections list`; another word after it is a usage error', async (t) => {
    const m = await startMockd(t);
    const admin = ['--admin-url', m.adminUrl];
    const expected: Record<string, string> = {
      websocket: 'No active WebSocket connections\n', ws: 'No active WebSocket connections\n', sse: 'No active SSE connections\n',
      mqtt: 'No active MQTT connections\n', grpc: 'No active gRPC streams\n',
    };
    for (const [group, text] of Object.entries(expected)) {
      const r = await runCli([group, 'connections', ...admin]);
      assert.equal(r.code, 0, `${group}: ${r.stderr}`);
      assert.equal(r.stdout, text);
    }
    const bad = await runCli(['ws', 'connections', 'lst', ...admin]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command "websocket connections lst"/);
  });

  test('stats and get keep the Go title lines and labels; the Go columns keep their order in tables', async (t) => {
    const m = await startMockd(t);
    const admin = ['--admin-url', m.adminUrl];
    await m.createMock({ id: 'chat', websocket: { path: '/ws/chat' } });
    const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/ws/chat`);
    t.after(() => ws.terminate());
    await once(ws, 'open', { signal: AbortSignal.timeout(5000) });
    const id = (await eventually(() => m.api('/websocket/connections'), (r) => r.body.connections.length === 1)).body.connections[0].id;

    const titles: [string[], string][] = [
      [['websocket', 'stats'], 'WebSocket Statistics'], [['sse', 'stats'], 'SSE Statistics'],
      [['mqtt', 'stats'], 'MQTT Broker Statistics'], [['grpc', 'stats'], 'gRPC Statistics'],
      [['ws', 'connections', 'get', id], `WebSocket Connection: ${id}`],
    ];
    const outputs: string[] = [];
    for (const [args, title] of titles) {
      const r = await runCli([...args, ...admin]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.split('\n')[0], title);
      outputs.push(r.stdout);
    }
    assert.match(outputs[2]!, /^TLS Enabled: false$/m);
    assert.match(outputs[2]!, /^Auth Enabled: false$/m);
    assert.match(outputs[0]!, /^Active Connections: 1$/m);
    assert.match(outputs[4]!, /^Mock ID: chat$/m);

    // The Go mockd's header rows, in its order; mockd's extra columns come after them, except where contract §10
    // fixes another place (MOCK ID is second in the MQTT table and fourth in the gRPC table), so the check is that
    // the Go columns appear in the Go order, and for WebSocket and SSE that they are the whole row.
    const goHeaders: Record<string, string[]> = {
      ws: ['ID', 'PATH', 'MOCK ID', 'CONNECTED', 'MSG SENT', 'MSG RECV', 'STATUS'],
      sse: ['ID', 'PATH', 'MOCK ID', 'CLIENT IP', 'CONNECTED', 'EVENTS', 'STATUS'],
      mqtt: ['ID', 'REMOTE ADDR', 'USERNAME', 'SUBSCRIPTIONS', 'CONNECTED', 'STATUS'],
    };
    await m.createMock({ id: 'ticks', http: { matcher: { path: '/ticks' }, sse: { events: [{ data: 'a' }, { data: 'b', delay: 60_000 }] } } });
    const stream = await fetch(`${m.mockUrl}/ticks`, { signal: AbortSignal.timeout(30_000) });
    t.after(() => stream.body?.cancel().catch(() => undefined));
    const broker = await m.createMock({ id: 'broker', mqtt: { port: 0, topics: [{ topic: 'a/b' }] } });
    const client = mqtt.connect(`mqtt://127.0.0.1:${broker.mqtt.port}`, { clientId: 'sensor-1', reconnectPeriod: 0 });
    t.after(() => client.endAsync(true));
    await once(client as unknown as EventEmitter, 'connect', { signal: AbortSignal.timeout(5000) });
    await eventually(() => m.api('/sse/connections'), (r) => r.body.connections.length === 1);
    await eventually(() => m.api('/mqtt-connections'), (r) => r.body.connections.length === 1);
    for (const [group, goColumns] of Object.entries(goHeaders)) {
      const r = await runCli([group, 'connections', ...admin]);
      const columns = r.stdout.split('\n')[0]!.split(/\s{2,}/);
      const positions = goColumns.map((c) => columns.indexOf(c));
      assert.ok(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)), `${group}: ${columns.join(' | ')}`);
      if (group !== 'mqtt') assert.deepEqual(columns, goColumns);
    }
  });
});
