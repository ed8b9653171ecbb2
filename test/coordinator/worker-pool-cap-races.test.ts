// Caps under a burst with worker pools (README "Workers"): 30 clients connect at once, spread by the kernel over both
// members, and a cap of 10 admits exactly 10 of them. A cap counted only after the handshake (or read as a sum and
// then added to) could let two members both take the last slot; the pool counters take a slot before the handshake,
// with one compare-and-swap on the pool's total, so the cap holds exactly.

import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import WebSocket from 'ws';
import mqtt from 'mqtt';
import { startMockd } from '../helpers/mockd.ts';
import { deferred, within } from '../helpers/wait.ts';
import { wsMock, wsUrl } from '../protocols/websocket/helpers.ts';
import { sseMock, ticking } from '../protocols/sse/helpers.ts';
import { grpc } from '../protocols/grpc/helpers.ts';
import { grpcMock, ownConnectionClient, RUNTIME_SHARES_PORT, type Mockd } from './pool-helpers.ts';

const CAP = 10;
const ATTEMPTS = 30;
const SETTLE_MS = 20_000;

type Outcome = 'accepted' | 'refused';

/** Runs every attempt at once and counts the outcomes; an attempt that neither opens nor is refused fails the test. */
async function burst(attempt: () => Promise<Outcome>): Promise<{ accepted: number; refused: number }> {
  const outcomes = await within(Promise.all(Array.from({ length: ATTEMPTS }, attempt)), `${ATTEMPTS} concurrent attempts to settle`, SETTLE_MS);
  return { accepted: outcomes.filter((o) => o === 'accepted').length, refused: outcomes.filter((o) => o === 'refused').length };
}

function wsAttempt(t: TestContext, url: string): Promise<Outcome> {
  const outcome = deferred<Outcome>();
  const ws = new WebSocket(url);
  t.after(() => ws.terminate());
  ws.once('open', () => outcome.resolve('accepted'));
  ws.once('unexpected-response', (_req, res) => {
    res.resume();
    if (res.statusCode === 503) outcome.resolve('refused');
    else outcome.reject(new Error(`upgrade answered ${res.statusCode}, not 101 or 503`));
  });
  ws.once('error', (err) => outcome.reject(err));
  return outcome.promise;
}

function sseAttempt(t: TestContext, url: string): Promise<Outcome> {
  const outcome = deferred<Outcome>();
  const req = http.get(url, { agent: false }, (res) => {
    if (res.statusCode === 200) return outcome.resolve('accepted');
    res.resume();
    if (res.statusCode === 503) outcome.resolve('refused');
    else outcome.reject(new Error(`SSE GET answered ${res.statusCode}, not 200 or 503`));
  });
  req.on('error', (err) => outcome.reject(err));
  t.after(() => req.destroy());
  return outcome.promise;
}

function grpcAttempt(t: TestContext, port: number): Promise<Outcome> {
  const outcome = deferred<Outcome>();
  const call = ownConnectionClient(t, port).Chat();
  t.after(() => call.cancel());
  call.on('error', () => undefined);
  call.once('data', () => outcome.resolve('accepted'));
  call.once('status', (s: grpc.StatusObject) => {
    if (s.code === grpc.status.RESOURCE_EXHAUSTED) outcome.resolve('refused');
    else outcome.reject(new Error(`stream ended with ${s.code} ${s.details} before its first message`));
  });
  call.write({ name: 'ping' });
  return outcome.promise;
}

function mqttAttempt(t: TestContext, port: number): Promise<Outcome> {
  const outcome = deferred<Outcome>();
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: SETTLE_MS });
  t.after(() => client.endAsync(true));
  client.once('connect', () => outcome.resolve('accepted'));
  client.once('error', (err: Error & { code?: number }) => {
    // CONNACK 3 "server unavailable" (MQTT 3.1.1 §3.2.2.3) is the refusal of a full cap.
    if (err.code === 3) outcome.resolve('refused');
    else outcome.reject(err);
  });
  return outcome.promise;
}

/** Which members hold the admitted clients (both, most of the time: the kernel spreads by address hash). */
async function spread(m: Mockd, route: string, key = 'connections'): Promise<Record<string, number>> {
  const records = (await m.api(route)).body[key] as { worker?: string }[];
  const by: Record<string, number> = {};
  for (const r of records) by[r.worker ?? '-'] = (by[r.worker ?? '-'] ?? 0) + 1;
  return by;
}

const ONE_WORKER = `Node ${process.versions.node} cannot share a port between threads: every pool has one member, so no cap can race across members (the same caps with one worker are tested in test/limits and test/coordinator/worker-pool-caps.test.ts)`;

describe(`a cap of ${CAP} admits exactly ${CAP} of ${ATTEMPTS} clients connecting at once over both members`, { skip: RUNTIME_SHARES_PORT ? false : ONE_WORKER }, () => {
  test('--max-connections holds for WebSocket upgrades', async (t) => {
    const m = await startMockd(t, { workers: 2, maxConnections: CAP });
    await m.createMock(wsMock('ws', { path: '/ws', echoMode: true }));
    const counts = await burst(() => wsAttempt(t, wsUrl(m.mockUrl, '/ws')));
    assert.deepEqual(counts, { accepted: CAP, refused: ATTEMPTS - CAP });
    assert.equal((await m.api('/websocket/connections')).body.connections.length, CAP);
    t.diagnostic(`held by ${JSON.stringify(await spread(m, '/websocket/connections'))}`);
  });

  test("a WebSocket mock's maxConnections holds", async (t) => {
    const m = await startMockd(t, { workers: 2 });
    await m.createMock(wsMock('capped', { path: '/capped', echoMode: true, maxConnections: CAP }));
    const counts = await burst(() => wsAttempt(t, wsUrl(m.mockUrl, '/capped')));
    assert.deepEqual(counts, { accepted: CAP, refused: ATTEMPTS - CAP });
    assert.equal((await m.api('/mocks/capped/websocket/connections')).body.connections.length, CAP);
  });

  test('--max-sse-streams holds for SSE streams', async (t) => {
    const m = await startMockd(t, { workers: 2, maxSseStreams: CAP });
    await m.createMock(sseMock('ticks', ticking(50)));
    const counts = await burst(() => sseAttempt(t, `${m.mockUrl}/ticks`));
    assert.deepEqual(counts, { accepted: CAP, refused: ATTEMPTS - CAP });
    assert.equal((await m.api('/sse/connections')).body.connections.length, CAP);
    t.diagnostic(`held by ${JSON.stringify(await spread(m, '/sse/connections'))}`);
  });

  test("a gRPC mock's maxConnections holds for streams", async (t) => {
    const m = await startMockd(t, { workers: 2 });
    const port = await grpcMock(m, 'capped', { maxConnections: CAP });
    const counts = await burst(() => grpcAttempt(t, port));
    assert.deepEqual(counts, { accepted: CAP, refused: ATTEMPTS - CAP });
    assert.equal((await m.api('/grpc/connections')).body.streams.length, CAP);
    t.diagnostic(`held by ${JSON.stringify(await spread(m, '/grpc/connections', 'streams'))}`);
  });

  test('--max-connections holds for gRPC streams of two mocks', async (t) => {
    const m = await startMockd(t, { workers: 2, maxConnections: CAP });
    const ports = [await grpcMock(m, 'a'), await grpcMock(m, 'b')];
    let i = 0;
    const counts = await burst(() => grpcAttempt(t, ports[i++ % 2]!));
    assert.deepEqual(counts, { accepted: CAP, refused: ATTEMPTS - CAP });
    assert.equal((await m.api('/grpc/connections')).body.streams.length, CAP);
  });

  test('--max-connections holds for MQTT clients of two brokers on different members', async (t) => {
    const m = await startMockd(t, { workers: 2, maxConnections: CAP });
    const ports = [(await m.createMock({ id: 'mq-a', mqtt: { port: 0 } })).mqtt.port, (await m.createMock({ id: 'mq-b', mqtt: { port: 0 } })).mqtt.port];
    let i = 0;
    const counts = await burst(() => mqttAttempt(t, ports[i++ % 2]!));
    assert.deepEqual(counts, { accepted: CAP, refused: ATTEMPTS - CAP });
    assert.equal((await m.api('/mqtt-connections')).body.connections.length, CAP);
  });
});
