// Black-box: gRPC mocks through a real mockd (admin API → coordinator → grpc worker), called with grpc-js.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import { startMockd, tempDir } from '../../helpers/mockd.ts';
import { callUnary, greeterClient, grpc, HELLO_PROTO, nextMessage, statusOf } from './helpers.ts';

const GREETER = 'helloworld.Greeter';

function greeterMock(message: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'grpc',
    grpc: {
      port: 0,
      protoFile: HELLO_PROTO,
      services: {
        [GREETER]: {
          methods: {
            SayHello: { response: { message } },
            StreamHellos: { streamDelay: '30s', responses: [{ message }, { message: 'later' }] },
          },
        },
      },
      ...extra,
    },
  };
}

async function openStream(t: TestContext, client: any): Promise<any> {
  const call = client.StreamHellos({ name: 'x' });
  call.on('error', () => undefined);
  t.after(() => call.cancel());
  await nextMessage(call);
  return call;
}

/** A port that was free a moment ago: port-0 mocks are never merge targets (§1), so merging needs a fixed port. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening', { signal: AbortSignal.timeout(5000) });
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close', { signal: AbortSignal.timeout(5000) });
  return port;
}

describe('gRPC through the admin API', () => {
  // One mockd for the suite (starting one spawns three workers); each test makes its own mocks.
  let mockd: Awaited<ReturnType<typeof startMockd>>;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    mockd = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
  });
  after(async () => {
    for (const fn of cleanups) await fn();
  });
  test('creates a mock on a free port that answers calls, and lists and counts its streams', async (t) => {
    const created = await mockd.api('/mocks', { method: 'POST', body: greeterMock('hello') });
    assert.equal(created.status, 201);
    const { id, grpc: spec } = created.body.mock;
    assert.ok(spec.port > 0, 'the stored mock shows its actual port');
    const client = greeterClient(t, spec.port);
    assert.equal((await callUnary(client, 'SayHello', { name: 'x' })).response.message, 'hello');
    await openStream(t, client);

    const list = await mockd.api('/grpc/connections');
    assert.equal(list.status, 200);
    const streams = list.body.streams.filter((s: { mockId: string }) => s.mockId === id);
    assert.equal(streams.length, 1);
    const [stream] = streams;
    assert.equal(stream.mockId, id);
    assert.equal(stream.method, '/helloworld.Greeter/StreamHellos');
    assert.equal(stream.streamType, 'server_stream');
    assert.ok(list.body.stats.activeStreams >= 1);

    const one = await mockd.api(`/grpc/connections/${stream.id}`);
    assert.deepEqual(one.body, stream);
    const stats = await mockd.api('/grpc/stats');
    assert.ok(stats.body.totalRPCs >= 2);
    assert.equal(stats.body.connectionsByMock[id], 1);
    const scoped = await mockd.api(`/mocks/${id}/grpc/connections`);
    assert.deepEqual(scoped.body, { streams: [stream], count: 1, mockId: id });

    const ports = await mockd.api('/ports');
    assert.ok(ports.body.ports.some((p: any) => p.port === spec.port && p.component === 'grpc-server' && p.mockId === id));
  });

  test('DELETE /grpc/connections/{id} cancels the stream with UNAVAILABLE "stream cancelled by admin"', async (t) => {
    const mock = await mockd.createMock(greeterMock('hello'));
    const call = await openStream(t, greeterClient(t, mock.grpc.port));
    const status = statusOf(call);
    const [stream] = (await mockd.api(`/mocks/${mock.id}/grpc/connections`)).body.streams;
    const cancelledBefore = (await mockd.api('/grpc/stats')).body.cancelledByAdmin;

    const del = await mockd.api(`/grpc/connections/${stream.id}`, { method: 'DELETE' });
    assert.equal(del.status, 200);
    assert.deepEqual(del.body, { message: 'Stream cancelled', stream: stream.id });
    assert.deepEqual((await mockd.api(`/mocks/${mock.id}/grpc/connections`)).body.streams, []);
    assert.equal((await mockd.api(`/grpc/connections/${stream.id}`)).status, 404);
    const { code, details } = await status;
    assert.equal(code, grpc.status.UNAVAILABLE);
    assert.equal(details, 'stream cancelled by admin');
    assert.equal((await mockd.api('/grpc/stats')).body.cancelledByAdmin, cancelledBefore + 1);

    const unknown = await mockd.api('/grpc/connections/grpc-stream-999', { method: 'DELETE' });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: 'not_found', message: 'Stream not found' });
  });

  test('a mock update ends its streams with UNAVAILABLE "mock configuration updated" and serves the new config on the same port', async (t) => {
    const mock = await mockd.createMock(greeterMock('v1'));
    const client = greeterClient(t, mock.grpc.port);
    const status = statusOf(await openStream(t, client));

    const updated = await mockd.api(`/mocks/${mock.id}`, { method: 'PUT', body: greeterMock('v2') });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.mock.grpc.port, mock.grpc.port);
    const { code, details } = await status;
    assert.equal(code, grpc.status.UNAVAILABLE);
    assert.equal(details, 'mock configuration updated');
    assert.equal((await callUnary(client, 'SayHello', { name: 'x' })).response.message, 'v2');
  });

  test('rejects a mock naming a method the proto lacks with validation_error on grpc.services', async (t) => {
    const res = await mockd.api('/mocks', {
      method: 'POST',
      body: { type: 'grpc', grpc: { port: 0, protoFile: HELLO_PROTO, services: { [GREETER]: { methods: { Shout: {} } } } } },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'validation_error');
    assert.equal(res.body.field, 'grpc.services.helloworld.Greeter.methods.Shout');
  });

  test('merges a create on an existing gRPC port and serves both methods', async (t) => {
    const content = 'syntax = "proto3"; package m; service S { rpc A (X) returns (X); rpc B (X) returns (X); } message X { string v = 1; }';
    const port = await freePort();
    const first = await mockd.createMock({ type: 'grpc', grpc: { port, protoContent: content, services: { 'm.S': { methods: { A: { response: { v: 'a' } } } } } } });
    const merged = await mockd.api('/mocks', {
      method: 'POST',
      body: { type: 'grpc', grpc: { port: first.grpc.port, protoContent: content, services: { 'm.S': { methods: { B: { response: { v: 'b' } } } } } } },
    });
    assert.equal(merged.status, 200);
    assert.equal(merged.body.action, 'merged');
    assert.equal(merged.body.targetMockId, first.id);
    assert.deepEqual(merged.body.addedServices, ['m.S/B']);
    assert.equal(merged.body.totalServices, 2);
    const file = join(tempDir(t), 'm.proto');
    writeFileSync(file, content);
    const Service = (grpc.loadPackageDefinition(loadSync(file, { keepCase: true })) as any).m.S;
    const client = new Service(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    t.after(() => client.close());
    assert.equal((await callUnary(client, 'A', {})).response.v, 'a');
    assert.equal((await callUnary(client, 'B', {})).response.v, 'b');

    const conflict = await mockd.api('/mocks', {
      method: 'POST',
      body: { type: 'grpc', grpc: { port: first.grpc.port, protoContent: content, services: { 'm.S': { methods: { B: { response: { v: 'again' } } } } } } },
    });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.error, 'service_conflict');
  });
});

test('shutting mockd down ends gRPC streams with UNAVAILABLE "server shutting down"', async (t) => {
  const own = await startMockd(t);
  const mock = await own.createMock(greeterMock('bye'));
  const status = statusOf(await openStream(t, greeterClient(t, mock.grpc.port)));
  await own.close();
  const { code, details } = await status;
  assert.equal(code, grpc.status.UNAVAILABLE);
  assert.equal(details, 'server shutting down');
});
