// The Go mockd's admin list routes and answers that scripts written for it rely on (issue 24): GET /grpc, GET /mqtt
// (+ /mqtt/status, /mqtt/{id}/status), GET /status, the merge answer's `id` and `message`, and a 400 for a malformed
// body on DELETE /sse/connections/{id}.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once, type EventEmitter } from 'node:events';
import mqtt from 'mqtt';
import { eventually, startMockd } from '../helpers/mockd.ts';
import { freePort } from '../helpers/go-compat.ts';

const PROTO = 'syntax = "proto3"; package m; service S { rpc A (X) returns (X); rpc B (X) returns (X); } message X { string v = 1; }';

describe('GET /grpc and GET /mqtt list what the Go mockd lists there', () => {
  test('GET /grpc answers 200 with the gRPC mocks only, in the /mocks shape', async (t) => {
    const m = await startMockd(t);
    assert.deepEqual((await m.api('/grpc')).body, { mocks: [], total: 0, count: 0 });
    await m.createMock({ id: 'web', http: { matcher: { path: '/x' }, response: { statusCode: 200 } } });
    const g = await m.createMock({ id: 'greeter', grpc: { port: 0, protoContent: PROTO, services: { 'm.S': { methods: { A: { response: { v: 'a' } } } } } } });
    const r = await m.api('/grpc');
    assert.equal(r.status, 200);
    assert.equal(r.body.total, 1);
    assert.equal(r.body.count, 1);
    assert.deepEqual(r.body.mocks.map((x: any) => [x.id, x.type, x.grpc.port]), [['greeter', 'grpc', g.grpc.port]]);
  });

  test('GET /mqtt lists each broker with its live clients and subscribed topics; /mqtt/status adds them up', async (t) => {
    const m = await startMockd(t);
    assert.deepEqual((await m.api('/mqtt')).body, { brokers: [], count: 0 });
    const a = await m.createMock({ id: 'broker-a', mqtt: { port: 0, topics: [{ topic: 'a/b' }] } });
    await m.createMock({ id: 'broker-b', enabled: false, mqtt: { port: 0, auth: { enabled: true, users: [{ username: 'u', password: 'p' }] }, topics: [{ topic: 'c' }] } });
    const client = mqtt.connect(`mqtt://127.0.0.1:${a.mqtt.port}`, { clientId: 'sensor-1', reconnectPeriod: 0 });
    t.after(() => client.endAsync(true));
    await once(client as unknown as EventEmitter, 'connect', { signal: AbortSignal.timeout(5000) });
    await client.subscribeAsync(['a/b', 'x/#']);

    const list = await eventually(() => m.api('/mqtt'), (r) => r.body.brokers[0]?.topicCount === 2);
    assert.equal(list.status, 200);
    assert.equal(list.body.count, 2);
    assert.deepEqual(list.body.brokers[0], {
      id: 'broker-a', name: '', port: a.mqtt.port, running: true, recordingEnabled: false, clientCount: 1, topicCount: 2,
      tlsEnabled: false, authEnabled: false, enabled: true,
    });
    assert.equal(list.body.brokers[1].id, 'broker-b');
    assert.equal(list.body.brokers[1].running, false);
    assert.equal(list.body.brokers[1].authEnabled, true);

    const status = await m.api('/mqtt/status');
    assert.equal(status.status, 200);
    assert.deepEqual({ ...status.body, brokers: status.body.brokers.length }, { running: true, brokerCount: 2, totalClients: 1, totalTopics: 2, brokers: 2 });

    const one = await m.api('/mqtt/broker-a/status');
    assert.equal(one.status, 200);
    assert.equal(one.body.clientCount, 1);
    const unknown = await m.api('/mqtt/nope/status');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: 'not_found', message: "MQTT broker 'nope' not found" });
  });

  test('GET /status answers 200 with the ports, uptime and mock counts', async (t) => {
    const m = await startMockd(t);
    await m.createMock({ http: { matcher: { path: '/x' }, response: { statusCode: 200 } } });
    await m.createMock({ enabled: false, http: { matcher: { path: '/y' }, response: { statusCode: 200 } } });
    const r = await m.api('/status');
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'running');
    assert.equal(r.body.httpPort, m.mockPort);
    assert.equal(r.body.adminPort, m.adminPort);
    assert.equal(r.body.mockCount, 2);
    assert.equal(r.body.activeMocks, 1);
    assert.equal(r.body.tlsEnabled, false);
    assert.equal(typeof r.body.version, 'string');
  });
});

describe('a merge into a port answers as the Go mockd does', () => {
  test('MQTT: id, action, message and targetMockId, with the added topic names and the count (contract §6)', async (t) => {
    const m = await startMockd(t);
    const port = await freePort();
    const target = await m.createMock({ mqtt: { port, topics: [{ topic: 'sensors/temp' }] } });
    const r = await m.api('/mocks', { method: 'POST', body: { mqtt: { port, topics: [{ topic: 'sensors/humidity' }] } } });
    assert.equal(r.status, 200);
    assert.equal(r.body.id, target.id);
    assert.equal(r.body.action, 'merged');
    assert.equal(r.body.message, `Merged into existing MQTT broker on port ${port}`);
    assert.equal(r.body.targetMockId, target.id);
    assert.deepEqual(r.body.addedTopics, ['sensors/humidity']);
    assert.equal(r.body.totalTopics, 2);
    assert.deepEqual(r.body.mock.mqtt.topics.map((x: any) => x.topic), ['sensors/temp', 'sensors/humidity']);
  });

  test('gRPC: id, action, message and targetMockId, with the added methods and the count (contract §7)', async (t) => {
    const m = await startMockd(t);
    const port = await freePort();
    const target = await m.createMock({ grpc: { port, protoContent: PROTO, services: { 'm.S': { methods: { A: { response: { v: 'a' } } } } } } });
    const r = await m.api('/mocks', { method: 'POST', body: { grpc: { port, protoContent: PROTO, services: { 'm.S': { methods: { B: { response: { v: 'b' } } } } } } } });
    assert.equal(r.status, 200);
    assert.equal(r.body.id, target.id);
    assert.equal(r.body.message, `Merged into existing gRPC server on port ${port}`);
    assert.deepEqual(r.body.addedServices, ['m.S/B']);
    assert.equal(r.body.totalServices, 2);
  });
});

describe('DELETE /sse/connections/{id} with a body', () => {
  test('answers 400 invalid_json for a malformed body and leaves the stream open; an empty or JSON body closes it', async (t) => {
    const m = await startMockd(t);
    await m.createMock({ id: 'ticks', http: { matcher: { path: '/ticks' }, sse: { events: [{ data: 'a' }, { data: 'b', delay: 60_000 }] } } });
    const open = async () => {
      const res = await fetch(`${m.mockUrl}/ticks`, { signal: AbortSignal.timeout(30_000) });
      t.after(() => res.body?.cancel().catch(() => undefined));
      return res;
    };
    const first = await open();
    const [conn] = (await eventually(() => m.api('/sse/connections'), (r) => r.body.connections.length === 1)).body.connections;

    for (const body of ['{not json', '{"a":']) {
      const bad = await m.api(`/sse/connections/${conn.id}`, { method: 'DELETE', body });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error, 'invalid_json');
    }
    assert.equal((await m.api(`/sse/connections/${conn.id}`)).status, 200);
    // Malformed beats unknown, as in the Go mockd (the body is read first).
    assert.equal((await m.api('/sse/connections/sse-999999', { method: 'DELETE', body: '{' })).status, 400);

    const closed = await m.api(`/sse/connections/${conn.id}`, { method: 'DELETE', body: { graceful: true } });
    assert.deepEqual(closed.body, { message: 'Connection closed', connection: conn.id });
    assert.match(await first.text(), /data:a/);

    await open();
    const [second] = (await eventually(() => m.api('/sse/connections'), (r) => r.body.connections.length === 1)).body.connections;
    assert.equal((await m.api(`/sse/connections/${second.id}`, { method: 'DELETE' })).status, 200);
  });
});
