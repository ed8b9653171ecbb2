import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectionEvent } from '../../../src/contract/protocols.ts';
import { callUnary, greeterClient, grpc, grpcMock, nextMessage, statusOf, startHost, waitForStreams, type GrpcHostUnderTest } from './helpers.ts';
import { deferred, within } from '../../helpers/wait.ts';
import type { TestContext } from 'node:test';

const GREETER = 'helloworld.Greeter';
const LONG_STREAM = { streamDelay: '30s', responses: [{ message: 'hello' }, { message: 'later' }] };

/** A host with one mock whose StreamHellos stays open, and a helper to open such streams. */
async function setUp(t: TestContext): Promise<GrpcHostUnderTest & { mockId: string; openStream: () => Promise<any> }> {
  const under = await startHost(t);
  const mock = grpcMock({ services: { [GREETER]: { methods: { StreamHellos: LONG_STREAM, SayHello: { response: { message: 'hi' } } } } } });
  const { port } = await under.host.apply(mock);
  const client = greeterClient(t, port!);
  const openStream = async () => {
    const call = client.StreamHellos({ name: 'x' });
    call.on('error', () => undefined);
    t.after(() => call.cancel());
    await nextMessage(call);
    return call;
  };
  return { ...under, mockId: mock.id, openStream };
}

describe('gRPC stream management', () => {
  test('lists streams oldest first with ids counting from grpc-stream-1', async (t) => {
    const { manager, openStream } = await setUp(t);
    await openStream();
    await openStream();
    assert.deepEqual(manager.list().map((s) => s.id), ['grpc-stream-1', 'grpc-stream-2']);
  });

  test('reports stats with exactly the contract fields', async (t) => {
    const { manager, mockId, openStream } = await setUp(t);
    await openStream();
    const stats = manager.stats();
    assert.deepEqual(Object.keys(stats).sort(), [
      'activeStreams', 'cancelledByAdmin', 'connectionsByMock', 'streamsByMethod',
      'totalMessagesRecv', 'totalMessagesSent', 'totalRPCs', 'totalStreams',
    ]);
    assert.deepEqual(stats, {
      activeStreams: 1,
      totalStreams: 1,
      totalRPCs: 1,
      totalMessagesSent: 1,
      totalMessagesRecv: 1,
      cancelledByAdmin: 0,
      streamsByMethod: { '/helloworld.Greeter/StreamHellos': 1 },
      connectionsByMock: { [mockId]: 1 },
    });
    const [record] = manager.list();
    assert.deepEqual(Object.keys(record!).sort(), ['clientAddr', 'connectedAt', 'id', 'messagesRecv', 'messagesSent', 'method', 'mockId', 'streamType']);
    assert.match(record!.connectedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  test('filters the listing by mock, and lists nothing for another mock', async (t) => {
    const { manager, mockId, openStream } = await setUp(t);
    await openStream();
    assert.equal(manager.list(mockId).length, 1);
    assert.deepEqual(manager.list('grpc_other'), []);
  });

  describe('when the admin cancels a stream', () => {
    test('the client sees UNAVAILABLE "stream cancelled by admin" and the stream is gone when close resolves', async (t) => {
      const { manager, openStream } = await setUp(t);
      const call = await openStream();
      const status = statusOf(call);
      const events: ConnectionEvent[] = [];
      manager.onEvent((e) => events.push(e));
      assert.equal(await manager.close('grpc-stream-1', 'admin'), true);
      assert.deepEqual(manager.list(), [], 'still listed after close resolved');
      assert.equal(manager.get('grpc-stream-1'), undefined);
      const { code, details } = await status;
      assert.equal(code, grpc.status.UNAVAILABLE);
      assert.equal(details, 'stream cancelled by admin');
      const stats = manager.stats();
      assert.equal(stats.cancelledByAdmin, 1);
      assert.equal(stats.activeStreams, 0);
      assert.equal(stats.totalStreams, 1, 'totals keep what the closed stream added');
      assert.deepEqual(stats.connectionsByMock, {});
      assert.deepEqual(stats.streamsByMethod, {});
      assert.deepEqual(events.map((e) => [e.type, e.reason]), [['connection.closed', 'admin']]);
    });

    const kinds = [
      { streamType: 'client_stream', open: (c: any) => c.CollectHellos(() => undefined) },
      { streamType: 'bidi', open: (c: any) => c.Chat() },
    ];
    for (const kind of kinds) {
      test(`a ${kind.streamType} call also ends with UNAVAILABLE "stream cancelled by admin"`, async (t) => {
        const under = await startHost(t);
        const { port } = await under.host.apply(
          grpcMock({ services: { [GREETER]: { methods: { CollectHellos: { response: { message: 'x' } }, Chat: { response: { message: 'x' } } } } } }),
        );
        const call = kind.open(greeterClient(t, port!));
        t.after(() => call.cancel());
        const status = statusOf(call);
        call.write({ name: 'x' });
        await waitForStreams(under.manager, 1);
        assert.equal(under.manager.list()[0]!.streamType, kind.streamType);
        assert.equal(await under.manager.close(under.manager.list()[0]!.id, 'admin'), true);
        const { code, details } = await status;
        assert.equal(code, grpc.status.UNAVAILABLE);
        assert.equal(details, 'stream cancelled by admin');
        assert.equal(under.manager.stats().cancelledByAdmin, 1);
      });
    }

    test('closing an unknown stream resolves false', async (t) => {
      const { manager } = await setUp(t);
      assert.equal(await manager.close('grpc-stream-99', 'admin'), false);
    });

    test('a mock-scoped close ends only that mock\'s streams and counts each', async (t) => {
      const { manager, mockId, openStream } = await setUp(t);
      const calls = [await openStream(), await openStream()];
      const statuses = calls.map(statusOf);
      assert.equal(await manager.closeByMock('grpc_unrelated', 'admin'), 0);
      assert.equal(await manager.closeByMock(mockId, 'admin'), 2);
      for (const s of await Promise.all(statuses)) assert.equal(s.details, 'stream cancelled by admin');
      assert.equal(manager.stats().cancelledByAdmin, 2);
    });
  });

  describe('when the client cancels', () => {
    test('the stream is removed with reason client and is not counted as an admin cancel', async (t) => {
      const { manager, openStream } = await setUp(t);
      const call = await openStream();
      const status = statusOf(call);
      const closed = deferred<ConnectionEvent>();
      manager.onEvent((e) => e.type === 'connection.closed' && closed.resolve(e));
      call.cancel();
      assert.equal((await status).code, grpc.status.CANCELLED);
      assert.equal((await within(closed.promise, 'connection.closed after the client cancelled')).reason, 'client');
      await waitForStreams(manager, 0);
      assert.equal(manager.stats().cancelledByAdmin, 0);
    });

    test('a passed deadline ends the stream with DEADLINE_EXCEEDED, not counted as an admin cancel', async (t) => {
      const under = await startHost(t);
      const { port } = await under.host.apply(grpcMock({ services: { [GREETER]: { methods: { StreamHellos: LONG_STREAM } } } }));
      const call = greeterClient(t, port!).StreamHellos({ name: 'x' }, { deadline: Date.now() + 200 });
      assert.equal((await statusOf(call)).code, grpc.status.DEADLINE_EXCEEDED);
      await waitForStreams(under.manager, 0);
      assert.equal(under.manager.stats().cancelledByAdmin, 0);
      assert.equal(under.manager.stats().totalStreams, 1);
    });
  });

  test('counts unary calls in totalRPCs only', async (t) => {
    const { manager, host } = await setUp(t);
    const [listener] = host.listeners();
    const client = greeterClient(t, listener!.port);
    assert.equal((await callUnary(client, 'SayHello', { name: 'x' })).error, undefined);
    const stats = manager.stats();
    assert.equal(stats.totalRPCs, 1);
    assert.equal(stats.totalStreams, 0);
    assert.equal(stats.activeStreams, 0);
  });
});
