// Chaos across mocks (README "Faults and chaos"): GET|PUT /chaos, rules by protocol, mock and path, named profiles,
// stats, fault events on /events, chaos reaching live connections of every protocol, and the `mockd chaos` and
// `mockd <group> connections fault|lift` commands run as subprocesses.

import { afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import { runCli } from '../helpers/mockd.ts';
import { connect, startFileMockd, wsMock, wsUrl } from '../protocols/websocket/helpers.ts';
import { deferred, fetchWithTimeout, nextEvent, within } from '../helpers/wait.ts';
import { EventStreamClient } from './event-stream-client.ts';
import { openStream, sseMock, ticking } from '../protocols/sse/helpers.ts';
import { connect as mqttConnect } from '../protocols/mqtt/helpers.ts';
import { grpc, HELLO_PROTO, nextMessage, statusOf } from '../protocols/grpc/helpers.ts';
import { loadSync } from '@grpc/proto-loader';

const m = await startFileMockd();
const admin = () => ['--admin-url', m.adminUrl];

before(async () => {
  await m.createMock({ id: 'a', type: 'http', http: { matcher: { path: '/api/a' }, response: { statusCode: 200, body: 'a' } } });
  await m.createMock({ id: 'b', type: 'http', http: { matcher: { path: '/other/b' }, response: { statusCode: 200, body: 'b' } } });
  await m.createMock(wsMock('echo', { path: '/echo', echoMode: true }));
  await m.createMock(sseMock('ticks', ticking(30)));
  await m.createMock({ id: 'broker', type: 'mqtt', mqtt: { port: 0, topics: [] } });
  await m.createMock({
    id: 'greeter',
    type: 'grpc',
    grpc: { port: 0, protoFile: HELLO_PROTO, services: { 'helloworld.Greeter': { methods: { Chat: { response: { message: 'echo {{request.body.name}}' } } } } } },
  });
});

const portOf = async (mockId: string) => ((await m.api('/ports')).body.ports as { mockId?: string; port: number }[]).find((p) => p.mockId === mockId)!.port;

afterEach(async () => {
  await m.api('/chaos', { method: 'PUT', body: { enabled: false } });
});


const status = async (path: string) => (await fetchWithTimeout(`${m.mockUrl}${path}`)).status;

describe('GET and PUT /chaos', () => {
  test('is off by default', async () => {
    const r = await m.api('/chaos');
    assert.equal(r.status, 200);
    assert.equal(r.body.enabled, false);
    assert.deepEqual(r.body.rules, []);
  });

  test('an error rate of 1 fails every request of every mock until chaos is turned off', async () => {
    const r = await m.api('/chaos', { method: 'PUT', body: { enabled: true, errorRate: 1, errorStatus: 503 } });
    assert.equal(r.status, 200);
    assert.equal(await status('/api/a'), 503);
    assert.equal(await status('/other/b'), 503);
    await m.api('/chaos', { method: 'PUT', body: { enabled: false } });
    assert.equal(await status('/api/a'), 200);
  });

  test('a rule matches by path prefix and leaves other mocks alone', async () => {
    await m.api('/chaos', { method: 'PUT', body: { enabled: true, rules: [{ match: { path: '/api/*' }, errorRate: 1, errorStatus: 500 }] } });
    assert.equal(await status('/api/a'), 500);
    assert.equal(await status('/other/b'), 200);
  });

  test('a rule matches by mock id', async () => {
    await m.api('/chaos', { method: 'PUT', body: { enabled: true, rules: [{ match: { mockId: 'b' }, fault: 'reset' }] } });
    assert.equal(await status('/api/a'), 200);
    const socket = netConnect(Number(new URL(m.mockUrl).port), '127.0.0.1');
    await nextEvent(socket, 'connect');
    const err = deferred<NodeJS.ErrnoException>();
    socket.on('error', (e) => err.resolve(e));
    socket.write('GET /other/b HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.equal((await within(err.promise, 'the reset')).code, 'ECONNRESET');
  });

  test('bad input is 400 naming the field', async () => {
    const r = await m.api('/chaos', { method: 'PUT', body: { enabled: true, rules: [{ match: { protocol: 'smtp' } }] } });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'rules[0].match.protocol');
    const r2 = await m.api('/chaos', { method: 'PUT', body: { errorRate: 2 } });
    assert.equal(r2.body.field, 'errorRate');
  });
});

describe('rules reach live connections', () => {
  test('a websocket rule adds latency to a connection that was open before the rule', async (t) => {
    const c = await connect(t, wsUrl(m.mockUrl, '/echo'));
    c.ws.send('before');
    assert.equal((await c.next()).text, 'before');
    await m.api('/chaos', { method: 'PUT', body: { enabled: true, rules: [{ match: { protocol: 'websocket' }, latency: 300 }] } });
    const sent = Date.now();
    c.ws.send('during');
    assert.equal((await c.next()).text, 'during');
    assert.ok(Date.now() - sent >= 280, `answered after ${Date.now() - sent} ms`);
  });

  test('the offline profile resets live connections and HTTP requests', async (t) => {
    const c = await connect(t, wsUrl(m.mockUrl, '/echo'));
    const r = await m.api('/chaos/profiles/offline/apply', { method: 'POST' });
    assert.equal(r.status, 200);
    assert.equal(r.body.profile, 'offline');
    assert.equal((await c.closed()).code, 1006);
    await assert.rejects(fetchWithTimeout(`${m.mockUrl}/api/a`));
  });

  test('a reset rule reaches live SSE, MQTT and gRPC connections too', async (t) => {
    const reader = await openStream(t, `${m.mockUrl}/ticks`);
    await reader.until('tick-1');
    const client = await mqttConnect(t, await portOf('broker'), { clientId: 'chaos-1' });
    const mqttGone = deferred<void>();
    client.once('close', () => mqttGone.resolve());
    const pkg = grpc.loadPackageDefinition(loadSync(HELLO_PROTO, { keepCase: true })) as any;
    const greeter = new pkg.helloworld.Greeter(`127.0.0.1:${await portOf('greeter')}`, grpc.credentials.createInsecure());
    t.after(() => greeter.close());
    const call = greeter.Chat();
    t.after(() => call.cancel());
    const grpcStatus = statusOf(call);
    call.write({ name: 'x' });
    await nextMessage(call);

    await m.api('/chaos', { method: 'PUT', body: { enabled: true, rules: [{ match: { protocol: 'sse' }, fault: 'reset' }, { match: { protocol: 'mqtt' }, fault: 'reset' }, { match: { protocol: 'grpc' }, fault: 'reset' }] } });
    assert.equal(await reader.end(), 'error');
    await within(mqttGone.promise, 'the MQTT client losing its connection');
    assert.equal((await grpcStatus).code, grpc.status.UNAVAILABLE);
    assert.equal(await status('/api/a'), 200, 'HTTP mocks are not matched by these rules');
  });
});

describe('profiles, stats and events', () => {
  test('lists the named profiles', async () => {
    const names = (await m.api('/chaos/profiles')).body.profiles.map((p: { name: string }) => p.name);
    for (const n of ['slow-api', 'flaky', 'offline', 'mobile-3g', 'satellite']) assert.ok(names.includes(n), n);
  });

  test('an unknown profile is 404', async () => {
    const r = await m.api('/chaos/profiles/nope/apply', { method: 'POST' });
    assert.equal(r.status, 404);
  });

  test('stats count what chaos did and log the faults', async () => {
    await m.api('/chaos', { method: 'PUT', body: { enabled: true, errorRate: 1 } });
    for (let i = 0; i < 3; i++) await status('/api/a');
    const stats = (await m.api('/chaos/stats')).body;
    assert.equal(stats.enabled, true);
    assert.equal(stats.counts.requests, 3);
    assert.equal(stats.counts.errors, 3);
    assert.ok(stats.recentFaults.some((f: { protocol: string; kind: string }) => f.protocol === 'http' && f.kind === 'error-503'));
  });

  test('a connection fault is emitted on /events as fault.applied', async (t) => {
    const events = await EventStreamClient.open(`${m.adminUrl}/events`);
    t.after(() => events.close());
    const c = await connect(t, wsUrl(m.mockUrl, '/echo'));
    const list = (await m.api('/mocks/echo/websocket/connections')).body.connections;
    const id = list[list.length - 1].id;
    await m.api(`/websocket/connections/${id}/fault`, { method: 'POST', body: { kind: 'delay', delayMs: 10 } });
    const frame = await events.takeEvent('fault.applied');
    assert.deepEqual(frame.data, { protocol: 'websocket', id, mockId: 'echo', kind: 'delay', source: 'admin' });
    c.ws.terminate();
  });
});

describe('the CLI', () => {
  test('mockd chaos apply, status, profiles and disable', async () => {
    const applied = await runCli(['chaos', 'apply', 'flaky', ...admin()]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /^Chaos profile flaky applied: profile flaky/);
    const st = await runCli(['chaos', 'status', ...admin()]);
    assert.match(st.stdout, /^Chaos: enabled/);
    assert.match((await runCli(['chaos', 'profiles', ...admin()])).stdout, /^NAME\s+DESCRIPTION\n(.*\n)*satellite\s/m);
    await runCli(['chaos', 'disable', ...admin()]);
    assert.equal((await m.api('/chaos')).body.enabled, false);
    const enabled = await runCli(['chaos', 'enable', '--error-rate', '1', '--error-code', '429', ...admin()]);
    assert.equal(enabled.code, 0, enabled.stderr);
    assert.equal(await status('/api/a'), 429);
  });

  test('mockd websocket connections fault --kind stall --duration, and lift', async (t) => {
    const c = await connect(t, wsUrl(m.mockUrl, '/echo'));
    const list = (await m.api('/mocks/echo/websocket/connections')).body.connections;
    const id = list[list.length - 1].id;
    const r = await runCli(['websocket', 'connections', 'fault', id, '--kind', 'stall', '--duration', '30s', ...admin()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Fault stall applied to websocket connection ${id}`));
    c.ws.send('held');
    assert.equal(await c.next(300).then(() => 'got', () => 'none'), 'none');
    const lift = await runCli(['ws', 'connections', 'lift', id, ...admin()]);
    assert.equal(lift.code, 0, lift.stderr);
    assert.equal((await c.next()).text, 'held');
  });

  test('a bad duration is a usage error before any request', async () => {
    const r = await runCli(['websocket', 'connections', 'fault', 'ws-1', '--kind', 'stall', '--duration', 'soon', ...admin()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid --duration/);
  });
});
