// gRPC limits (README "Limits"): `--max-connections` caps streaming RPCs across every gRPC mock, a mock's
// `maxConnections` caps its own streams (both RESOURCE_EXHAUSTED "grpc: maximum streams reached"; unary calls are
// never limited), and a mock's `maxMessageSize` caps messages both ways.

import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startMockd } from '../helpers/mockd.ts';
import { callUnary, greeterClient, grpc, HELLO_PROTO, nextMessage, statusOf } from '../protocols/grpc/helpers.ts';

const EXHAUSTED = { code: grpc.status.RESOURCE_EXHAUSTED, details: 'grpc: maximum streams reached' };

const GREETER = {
  'helloworld.Greeter': {
    methods: {
      SayHello: { response: { message: 'hi {{request.body.name}}' } },
      Chat: { responses: [{ message: 'pong' }] },
      StreamHellos: { responses: [{ message: 'one' }] },
    },
  },
};

type Mockd = Awaited<ReturnType<typeof startMockd>>;

/** One mockd for the tests of a describe block that need no --max-connections; closed after the block. */
function sharedMockd(): () => Mockd {
  let m: Mockd | undefined;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    m = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
  });
  after(async () => {
    for (const fn of cleanups) await fn();
  });
  return () => m!;
}

async function grpcMock(m: Mockd, id: string, spec: Record<string, unknown> = {}): Promise<number> {
  const mock = await m.createMock({ id, type: 'grpc', grpc: { port: 0, protoFile: HELLO_PROTO, services: GREETER, ...spec } });
  return mock.grpc.port;
}

/** An open bidi Chat stream, answered once so it is surely live on the server. */
async function openChat(t: TestContext, client: any): Promise<grpc.ClientDuplexStream<any, any>> {
  const call = client.Chat();
  // Its status may come as an 'error' (a goodbye at shutdown) after the test no longer listens.
  call.on('error', () => undefined);
  t.after(() => call.cancel());
  call.write({ name: 'ping' });
  assert.equal((await nextMessage(call)).message, 'pong');
  return call;
}

async function refusedChat(t: TestContext, client: any): Promise<{ code: number; details: string }> {
  const call = client.Chat();
  t.after(() => call.cancel());
  const { code, details } = await statusOf(call);
  return { code, details };
}

describe('with --max-connections 2', () => {
  test('refuses a third stream across two mocks with RESOURCE_EXHAUSTED and leaves unary calls alone', async (t) => {
    const m = await startMockd(t, { maxConnections: 2 });
    const a = greeterClient(t, await grpcMock(m, 'grpc_a'));
    const b = greeterClient(t, await grpcMock(m, 'grpc_b'));
    const first = await openChat(t, a);
    await openChat(t, b);

    assert.deepEqual(await refusedChat(t, a), EXHAUSTED);
    const serverStream = b.StreamHellos({ name: 'x' });
    t.after(() => serverStream.cancel());
    assert.deepEqual(await statusOf(serverStream).then(({ code, details }) => ({ code, details })), EXHAUSTED);
    for (let i = 0; i < 3; i++) assert.equal((await callUnary(a, 'SayHello', { name: `u${i}` })).response?.message, `hi u${i}`);

    // Refused streams were never tracked: not listed, not in totalStreams.
    const list = (await m.api('/grpc/connections')).body;
    assert.equal(list.streams.length, 2);
    assert.equal(list.stats.totalStreams, 2);
    assert.deepEqual(list.stats.connectionsByMock, { grpc_a: 1, grpc_b: 1 });

    const firstStatus = statusOf(first);
    first.end();
    assert.equal((await firstStatus).code, grpc.status.OK);
    await eventually(() => m.api('/grpc/stats'), (r) => r.body.activeStreams === 1);
    await openChat(t, a);
  });

  test('frees the slot of a stream cancelled by the admin API', async (t) => {
    const m = await startMockd(t, { maxConnections: 1 });
    const client = greeterClient(t, await grpcMock(m, 'grpc_admin'));
    const held = await openChat(t, client);
    assert.deepEqual(await refusedChat(t, client), EXHAUSTED);
    const [stream] = (await m.api('/grpc/connections')).body.streams;
    const heldStatus = statusOf(held);
    assert.equal((await m.api(`/grpc/connections/${stream.id}`, { method: 'DELETE' })).status, 200);
    assert.equal((await heldStatus).code, grpc.status.UNAVAILABLE);
    await openChat(t, client);
  });
});

describe('a mock with maxConnections', () => {
  const mockd = sharedMockd();

  test('refuses streams of that mock past its cap, leaving other mocks open', async (t) => {
    const m = mockd();
    const small = greeterClient(t, await grpcMock(m, 'grpc_small', { maxConnections: 1 }));
    const other = greeterClient(t, await grpcMock(m, 'grpc_other'));
    const held = await openChat(t, small);
    assert.deepEqual(await refusedChat(t, small), EXHAUSTED);
    assert.equal((await callUnary(small, 'SayHello', { name: 'u' })).response?.message, 'hi u');
    await openChat(t, other);
    await openChat(t, other);
    const { grpc_small, grpc_other } = (await m.api('/grpc/stats')).body.connectionsByMock;
    assert.deepEqual({ grpc_small, grpc_other }, { grpc_small: 1, grpc_other: 2 });

    const heldStatus = statusOf(held);
    held.end();
    assert.equal((await heldStatus).code, grpc.status.OK);
    await openChat(t, small);
  });

  test('rejects a negative or fractional maxConnections with 400 validation_error', async (t) => {
    const m = mockd();
    for (const bad of [-1, 0.5]) {
      const r = await m.api('/mocks', { method: 'POST', body: { type: 'grpc', grpc: { port: 0, protoFile: HELLO_PROTO, maxConnections: bad } } });
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.equal(r.body.field, 'grpc.maxConnections');
    }
  });
});

describe('a mock with maxMessageSize', () => {
  const mockd = sharedMockd();

  test('answers RESOURCE_EXHAUSTED to a request or a response larger than that, and serves smaller ones', async (t) => {
    const m = mockd();
    const services = {
      'helloworld.Greeter': {
        methods: {
          SayHello: { response: { message: 'ok' } },
          SayGoodbye: { response: { message: 'x'.repeat(100) } },
        },
      },
    };
    const client = greeterClient(t, await grpcMock(m, 'grpc_size', { maxMessageSize: 64, services }));
    assert.equal((await callUnary(client, 'SayHello', { name: 'x'.repeat(40) })).response?.message, 'ok');
    const tooBig = await callUnary(client, 'SayHello', { name: 'x'.repeat(100) });
    assert.equal(tooBig.error?.code, grpc.status.RESOURCE_EXHAUSTED);
    const bigReply = await callUnary(client, 'SayGoodbye', { name: 'x' });
    assert.equal(bigReply.error?.code, grpc.status.RESOURCE_EXHAUSTED);
  });

  test('keeps grpc-js defaults without it: a 1 MiB request is served', async (t) => {
    const m = mockd();
    const client = greeterClient(t, await grpcMock(m, 'grpc_default'));
    assert.equal((await callUnary(client, 'SayHello', { name: 'x'.repeat(1 << 20) })).response?.message.length, 3 + (1 << 20));
  });
});
