// `GET /metrics` and the mock port's `/__mockd/metrics` (issue 23), black-box: real clients of the four protocols
// against one real mockd, and the Prometheus text read back with a real parser must show exactly what was sent.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import mqtt from 'mqtt';
import { eventually, startMockd, type Admin } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';
import { familyOf, scrape, valueOf } from '../helpers/metrics.ts';
import { callUnary, greeterClient, HELLO_PROTO } from '../protocols/grpc/helpers.ts';
import type { RunningMockd } from '../../src/server.ts';

const BOUND = () => AbortSignal.timeout(10_000);

async function wsClient(t: { after(fn: () => unknown): void }, m: RunningMockd, path: string): Promise<WebSocket> {
  const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}${path}`);
  t.after(() => ws.terminate());
  ws.on('error', () => undefined);
  await once(ws, 'open', { signal: BOUND() });
  return ws;
}

describe('GET /metrics after traffic on every protocol', () => {
  let m: RunningMockd & Admin;
  const cleanups: (() => unknown)[] = [];
  const ctx = { after: (fn: () => unknown) => cleanups.push(fn) };
  const N = 7, M = 5, K = 4, J = 3;

  before(async () => {
    m = await startMockd(ctx);
    await m.createMock({ id: 'm_http', type: 'http', http: { matcher: { method: 'GET', path: '/hello' }, response: { statusCode: 200, body: 'hi' } } });
    await m.createMock({ id: 'm_http_201', type: 'http', http: { matcher: { method: 'POST', path: '/made' }, response: { statusCode: 201, body: '{}' } } });
    await m.createMock({ id: 'm_ws', type: 'websocket', websocket: { path: '/ws', echoMode: true } });
    const mq = await m.createMock({ id: 'm_mqtt', type: 'mqtt', mqtt: { port: 0, topics: [{ topic: 'sensors/#' }] } });
    const g = await m.createMock({
      id: 'm_grpc', type: 'grpc',
      grpc: { port: 0, protoFile: HELLO_PROTO, services: { 'helloworld.Greeter': { methods: { SayHello: { response: { message: 'hi' } } } } } },
    });

    for (let i = 0; i < N; i++) assert.equal((await fetchWithTimeout(`${m.mockUrl}/hello`)).status, 200);
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/made`, { method: 'POST', body: 'x' })).status, 201);
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/nothing-here`)).status, 404);

    const ws = await wsClient(ctx, m, '/ws');
    for (let i = 0; i < M; i++) {
      ws.send(`msg ${i}`);
      const [data] = await once(ws, 'message', { signal: BOUND() });
      assert.equal(String(data), `msg ${i}`);
    }
    ws.close(1000);
    await once(ws, 'close', { signal: BOUND() });

    const client = mqtt.connect(`mqtt://127.0.0.1:${mq.mqtt.port}`, { reconnectPeriod: 0, protocolVersion: 4 });
    ctx.after(() => client.end(true));
    client.on('error', () => undefined);
    await once(client as any, 'connect', { signal: BOUND() });
    // QoS 1: the PUBACK says the broker has taken the PUBLISH, so it is counted before the scrape.
    for (let i = 0; i < K; i++) await client.publishAsync('sensors/t', `v${i}`, { qos: 1 });
    await client.publishAsync('elsewhere', 'x', { qos: 1 });
    await client.endAsync();

    const greeter = greeterClient(ctx as never, g.grpc.port);
    for (let i = 0; i < J; i++) assert.equal((await callUnary(greeter, 'SayHello', { name: 'x' })).response?.message, 'hi');
  });
  after(async () => {
    for (const fn of cleanups.reverse()) await fn();
  });

  test('counts HTTP requests per mock, matched and status, exactly', async () => {
    const f = await scrape(`${m.adminUrl}/metrics`);
    assert.equal(familyOf(f, 'mockd_requests_total')?.type, 'COUNTER');
    assert.equal(valueOf(f, 'mockd_requests_total', { protocol: 'http', mock_id: 'm_http', matched: 'true', code: '200' }), N);
    assert.equal(valueOf(f, 'mockd_requests_total', { protocol: 'http', mock_id: 'm_http_201', code: '201' }), 1);
    assert.equal(valueOf(f, 'mockd_requests_total', { protocol: 'http', matched: 'false', code: '404' }), 1);
    assert.equal(valueOf(f, 'mockd_requests_total', { protocol: 'http' }), N + 2);
    assert.ok(valueOf(f, 'mockd_bytes_total', { protocol: 'http', direction: 'in' }) >= 1, 'the POST body counts as bytes in');
    assert.ok(valueOf(f, 'mockd_bytes_total', { protocol: 'http', direction: 'out' }) > 0);
  });

  test('counts WebSocket messages per mock and direction, exactly', async () => {
    const f = await scrape(`${m.adminUrl}/metrics`);
    assert.equal(valueOf(f, 'mockd_messages_total', { protocol: 'websocket', mock_id: 'm_ws', direction: 'in' }), M);
    assert.equal(valueOf(f, 'mockd_messages_total', { protocol: 'websocket', mock_id: 'm_ws', direction: 'out' }), M);
    assert.equal(valueOf(f, 'mockd_bytes_total', { protocol: 'websocket', direction: 'in' }), 'msg 0'.length * M);
  });

  test('counts MQTT publishes per mock, matched or not, exactly', async () => {
    const f = await scrape(`${m.adminUrl}/metrics`);
    assert.equal(valueOf(f, 'mockd_messages_total', { protocol: 'mqtt', mock_id: 'm_mqtt', direction: 'in', matched: 'true' }), K);
    assert.equal(valueOf(f, 'mockd_messages_total', { protocol: 'mqtt', mock_id: 'm_mqtt', direction: 'in', matched: 'false' }), 1);
  });

  test('counts gRPC calls per mock and status code, exactly', async () => {
    const f = await scrape(`${m.adminUrl}/metrics`);
    assert.equal(valueOf(f, 'mockd_requests_total', { protocol: 'grpc', mock_id: 'm_grpc', matched: 'true', code: '0' }), J);
    assert.equal(valueOf(f, 'mockd_requests_total', { protocol: 'grpc' }), J);
  });

  test('has a latency histogram per protocol whose count is the requests answered', async () => {
    const f = await scrape(`${m.adminUrl}/metrics`);
    assert.equal(familyOf(f, 'mockd_request_duration_seconds')?.type, 'HISTOGRAM');
    assert.equal(valueOf(f, 'mockd_request_duration_seconds_count', { protocol: 'http' }), N + 2);
    assert.equal(valueOf(f, 'mockd_request_duration_seconds_bucket', { protocol: 'http', le: '+Inf' }), N + 2);
    assert.ok(valueOf(f, 'mockd_request_duration_seconds_bucket', { protocol: 'http', le: '10' }) <= N + 2);
    assert.ok(valueOf(f, 'mockd_request_duration_seconds_sum', { protocol: 'http' }) > 0);
    assert.equal(valueOf(f, 'mockd_request_duration_seconds_count', { protocol: 'grpc' }), J);
    // A WebSocket reply's latency runs from the frame it answers.
    assert.equal(valueOf(f, 'mockd_request_duration_seconds_count', { protocol: 'websocket' }), M);
  });

  test('counts connections opened and closed by the client, and shows none live once they left', async () => {
    const f = await eventually(() => scrape(`${m.adminUrl}/metrics`), (f) => valueOf(f, 'mockd_connections_closed_total', { protocol: 'mqtt', reason: 'client' }) === 1);
    assert.equal(valueOf(f, 'mockd_connections_opened_total', { protocol: 'websocket', mock_id: 'm_ws' }), 1);
    assert.equal(valueOf(f, 'mockd_connections_closed_total', { protocol: 'websocket', reason: 'client' }), 1);
    assert.equal(valueOf(f, 'mockd_connections', { protocol: 'websocket' }), 0);
    assert.equal(valueOf(f, 'mockd_connections_opened_total', { protocol: 'mqtt', mock_id: 'm_mqtt' }), 1);
  });

  test('shows the journal, the workers, the script pool and the process metrics', async () => {
    const f = await scrape(`${m.adminUrl}/metrics`);
    assert.ok(valueOf(f, 'mockd_journal_entries') >= N + 2 + M * 2 + K + 1 + J);
    assert.ok(valueOf(f, 'mockd_journal_capacity') > 0);
    assert.equal(valueOf(f, 'mockd_journal_dropped_total'), 0);
    assert.equal(valueOf(f, 'mockd_worker_up', { worker: 'http' }), 1);
    assert.equal(valueOf(f, 'mockd_worker_restarts_total'), 0);
    assert.equal(valueOf(f, 'mockd_script_timeouts_total'), 0);
    assert.equal(valueOf(f, 'mockd_mocks', { state: 'enabled' }), 5);
    assert.ok(familyOf(f, 'process_cpu_seconds_total'), 'process metrics are there');
    assert.ok(familyOf(f, 'nodejs_eventloop_lag_seconds'));
  });

  test('answers the same counts on the mock port at /__mockd/metrics', async () => {
    const admin = await scrape(`${m.adminUrl}/metrics`);
    const res = await fetchWithTimeout(`${m.mockUrl}/__mockd/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const port = await scrape(`${m.mockUrl}/__mockd/metrics`);
    for (const labels of [{ protocol: 'http', mock_id: 'm_http' }, { protocol: 'grpc' }] as Record<string, string>[]) {
      assert.equal(valueOf(port, 'mockd_requests_total', labels), valueOf(admin, 'mockd_requests_total', labels));
    }
    assert.equal(valueOf(port, 'mockd_messages_total', { protocol: 'mqtt' }), valueOf(admin, 'mockd_messages_total', { protocol: 'mqtt' }));
  });
});

describe('connection gauges and close reasons', () => {
  test('follow WebSocket clients up and down: client, admin close, mock change and limit each with their reason', async (t) => {
    const m = await startMockd(t);
    await m.createMock({ id: 'g_ws', type: 'websocket', websocket: { path: '/g', echoMode: true } });
    await m.createMock({ id: 'g_cap', type: 'websocket', websocket: { path: '/cap', echoMode: true, maxConnections: 1 } });
    const metrics = () => scrape(`${m.adminUrl}/metrics`);
    const live = (f: Awaited<ReturnType<typeof metrics>>) => valueOf(f, 'mockd_connections', { protocol: 'websocket', mock_id: 'g_ws' });
    const closed = (f: Awaited<ReturnType<typeof metrics>>, reason: string) => valueOf(f, 'mockd_connections_closed_total', { protocol: 'websocket', reason });

    const clients = await Promise.all([0, 1, 2, 3].map(() => wsClient(t, m, '/g')));
    await eventually(metrics, (f) => live(f) === 4);

    clients[0]!.close(1000);
    let f = await eventually(metrics, (f) => live(f) === 3);
    assert.equal(closed(f, 'client'), 1);

    const list = await m.api('/websocket/connections?mockId=g_ws');
    const id = (list.body.connections as { id: string }[])[0]!.id;
    assert.equal((await m.api(`/websocket/connections/${id}`, { method: 'DELETE' })).status, 200);
    f = await eventually(metrics, (f) => live(f) === 2);
    assert.equal(closed(f, 'admin'), 1);

    const mock = (await m.api('/mocks/g_ws')).body;
    assert.equal((await m.api('/mocks/g_ws', { method: 'PUT', body: { ...mock, websocket: { ...mock.websocket, echoMode: false } } })).status, 200);
    f = await eventually(metrics, (f) => live(f) === 0);
    assert.equal(closed(f, 'mock_change'), 2);
    assert.equal(valueOf(f, 'mockd_connections_opened_total', { protocol: 'websocket', mock_id: 'g_ws' }), 4);

    await wsClient(t, m, '/cap');
    const refused = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/cap`);
    refused.on('error', () => undefined);
    const [, res] = await once(refused, 'unexpected-response', { signal: BOUND() });
    assert.equal(res.statusCode, 503);
    f = await metrics();
    assert.equal(closed(f, 'limit'), 1);
    assert.equal(valueOf(f, 'mockd_connections', { protocol: 'websocket', mock_id: 'g_cap' }), 1);
    assert.equal(valueOf(f, 'mockd_connections_opened_total', { protocol: 'websocket', mock_id: 'g_cap' }), 2);
  });

  test('follow MQTT clients, with shutdown-free admin disconnects counted as admin', async (t) => {
    const m = await startMockd(t);
    const mq = await m.createMock({ id: 'g_mqtt', type: 'mqtt', mqtt: { port: 0, topics: [{ topic: 'a' }] } });
    const metrics = () => scrape(`${m.adminUrl}/metrics`);
    const client = mqtt.connect(`mqtt://127.0.0.1:${mq.mqtt.port}`, { reconnectPeriod: 0, protocolVersion: 4, clientId: 'gauge-1' });
    t.after(() => client.end(true));
    client.on('error', () => undefined);
    await once(client as any, 'connect', { signal: BOUND() });
    await eventually(metrics, (f) => valueOf(f, 'mockd_connections', { protocol: 'mqtt', mock_id: 'g_mqtt' }) === 1);
    const gone = once(client as any, 'close', { signal: BOUND() });
    assert.equal((await m.api('/mqtt-connections/gauge-1', { method: 'DELETE' })).status, 200);
    await gone;
    const f = await eventually(metrics, (f) => valueOf(f, 'mockd_connections', { protocol: 'mqtt', mock_id: 'g_mqtt' }) === 0);
    assert.equal(valueOf(f, 'mockd_connections_closed_total', { protocol: 'mqtt', reason: 'admin' }), 1);
  });
});

describe('auth and --no-metrics', () => {
  test('asks for the API key on the admin port, and answers the mock port without one, as /__mockd/health does', async (t) => {
    const m = await startMockd(t, { apiKey: 'k3y' });
    assert.equal((await fetchWithTimeout(`${m.adminUrl}/metrics`)).status, 401);
    assert.equal((await fetchWithTimeout(`${m.adminUrl}/metrics`, { headers: { authorization: 'Bearer k3y' } })).status, 200);
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/__mockd/health`)).status, 200);
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/__mockd/metrics`)).status, 200);
  });

  test('keeps no counters with metrics off, and still shows the process metrics', async (t) => {
    const m = await startMockd(t, { metrics: false });
    await m.createMock({ id: 'off', type: 'http', http: { matcher: { path: '/off' }, response: { statusCode: 200 } } });
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/off`)).status, 200);
    const f = await scrape(`${m.adminUrl}/metrics`);
    assert.equal(valueOf(f, 'mockd_requests_total'), 0);
    assert.ok(familyOf(f, 'process_cpu_seconds_total'));
  });
});
