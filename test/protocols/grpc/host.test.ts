import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { MockdError } from '../../../src/errors.ts';
import { callUnary, greeterClient, grpc, grpcMock, nextMessage, startHost, statusOf } from './helpers.ts';

const GREETER = 'helloworld.Greeter';
const streamingSpec = (message: string) => ({
  services: {
    [GREETER]: {
      methods: {
        StreamHellos: { streamDelay: '30s', responses: [{ message }, { message: 'later' }] },
        SayHello: { response: { message } },
      },
    },
  },
});

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening', { signal: AbortSignal.timeout(5000) });
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close', { signal: AbortSignal.timeout(5000) });
  return port;
}

async function openStream(t: any, client: any): Promise<any> {
  const call = client.StreamHellos({ name: 'x' });
  call.on('error', () => undefined);
  t.after(() => call.cancel());
  await nextMessage(call);
  return call;
}

describe('gRPC host', () => {
  test('picks a free port for port 0 and reports it in runtimes and listeners', async (t) => {
    const { host } = await startHost(t);
    const mock = grpcMock(streamingSpec('v1'));
    const runtime = await host.apply(mock);
    assert.ok(runtime.port! > 0);
    assert.deepEqual(runtime, { mockId: mock.id, kind: 'grpc', port: runtime.port, path: '', status: 'running' });
    assert.deepEqual(host.runtimes(), [runtime]);
    assert.deepEqual(host.listeners(), [{ port: runtime.port, protocol: 'grpc', component: 'grpc-server', mockId: mock.id, status: 'listening' }]);
    assert.equal(host.accepts(mock), true);
    assert.equal(host.accepts({ ...mock, type: 'mqtt' }), false);
  });

  test('answers UNIMPLEMENTED for a method the mock does not list and for a service not in the protos', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(grpcMock(streamingSpec('v1')));
    const listed = await callUnary(greeterClient(t, port!), 'SayGoodbye', { name: 'x' });
    assert.equal(listed.error?.code, grpc.status.UNIMPLEMENTED);
    const Generic = grpc.makeGenericClientConstructor(
      { Nope: { path: '/nowhere.Svc/Nope', requestStream: false, responseStream: false, requestSerialize: (v: Buffer) => v, requestDeserialize: (v: Buffer) => v, responseSerialize: (v: Buffer) => v, responseDeserialize: (v: Buffer) => v } },
      'Nowhere',
    );
    const client = new Generic(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as any;
    t.after(() => client.close());
    const unknown = await callUnary(client, 'Nope', Buffer.alloc(0));
    assert.equal(unknown.error?.code, grpc.status.UNIMPLEMENTED);
  });

  test('answers INVALID_ARGUMENT for a request that does not decode', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(grpcMock(streamingSpec('v1')));
    const Raw = grpc.makeGenericClientConstructor(
      { SayHello: { path: '/helloworld.Greeter/SayHello', requestStream: false, responseStream: false, requestSerialize: (v: Buffer) => v, requestDeserialize: (v: Buffer) => v, responseSerialize: (v: Buffer) => v, responseDeserialize: (v: Buffer) => v } },
      'Raw',
    );
    const client = new Raw(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as any;
    t.after(() => client.close());
    // An unknown field (15) with wire type 7, which protobuf does not define: not a HelloRequest.
    const { error } = await callUnary(client, 'SayHello', Buffer.from([0x7f, 0x00]));
    assert.equal(error?.code, grpc.status.INVALID_ARGUMENT);
  });

  describe('when a mock is applied again (updated)', () => {
    test('its streams get UNAVAILABLE "mock configuration updated", another mock\'s stream survives, and new calls see the new definition on the same port', async (t) => {
      const { host, manager } = await startHost(t);
      const changed = grpcMock(streamingSpec('v1'));
      const other = grpcMock(streamingSpec('other'));
      const { port } = await host.apply(changed);
      const { port: otherPort } = await host.apply(other);
      const client = greeterClient(t, port!);
      const otherClient = greeterClient(t, otherPort!);
      const doomed = await openStream(t, client);
      const survivor = await openStream(t, otherClient);
      const doomedStatus = statusOf(doomed);
      let survivorEnded = false;
      survivor.on('status', () => (survivorEnded = true));

      const runtime = await host.apply({ ...changed, grpc: { ...changed.grpc!, ...streamingSpec('v2') } });

      assert.equal(runtime.port, port, 'a port-0 mock keeps its port across updates');
      const { code, details } = await doomedStatus;
      assert.equal(code, grpc.status.UNAVAILABLE);
      assert.equal(details, 'mock configuration updated');
      assert.deepEqual(manager.list(changed.id), []);
      assert.equal(manager.list(other.id).length, 1);
      assert.equal(manager.stats().cancelledByAdmin, 1);
      const { response } = await callUnary(client, 'SayHello', { name: 'x' });
      assert.equal(response.message, 'v2');
      // A barrier: this call goes over the survivor's own HTTP/2 connection after the update, so a status the update
      // sent the survivor would have arrived before its answer.
      assert.equal((await callUnary(otherClient, 'SayHello', { name: 'x' })).response.message, 'other');
      assert.equal(survivorEnded, false, 'the stream of the other mock is still open');
    });

    test('moves to the new port when the port changes, ending streams on the old one', async (t) => {
      const { host } = await startHost(t);
      const mock = grpcMock(streamingSpec('v1'));
      const { port: oldPort } = await host.apply(mock);
      const status = statusOf(await openStream(t, greeterClient(t, oldPort!)));
      const newPort = await freePort();
      const runtime = await host.apply({ ...mock, grpc: { ...mock.grpc!, ...streamingSpec('v2'), port: newPort } });
      assert.equal(runtime.port, newPort);
      assert.equal((await status).details, 'mock configuration updated');
      assert.deepEqual(host.listeners().map((l) => l.port), [newPort]);
      assert.equal((await callUnary(greeterClient(t, newPort), 'SayHello', { name: 'x' })).response.message, 'v2');
    });

    test('a spec whose protos do not load is rejected and the old definition keeps serving', async (t) => {
      const { host } = await startHost(t);
      const mock = grpcMock(streamingSpec('v1'));
      const { port } = await host.apply(mock);
      await assert.rejects(host.apply({ ...mock, grpc: { port: 0, protoContent: 'not a proto' } }), { code: 'validation_error' });
      assert.equal((await callUnary(greeterClient(t, port!), 'SayHello', { name: 'x' })).response.message, 'v1');
    });
  });

  describe('when a mock is removed', () => {
    test('its streams get UNAVAILABLE "mock configuration updated" and its port stops listening', async (t) => {
      const { host, manager } = await startHost(t);
      const mock = grpcMock(streamingSpec('v1'));
      const { port } = await host.apply(mock);
      const call = await openStream(t, greeterClient(t, port!));
      const status = statusOf(call);
      await host.remove(mock.id);
      assert.equal((await status).details, 'mock configuration updated');
      assert.deepEqual(host.listeners(), []);
      assert.deepEqual(host.runtimes(), []);
      assert.equal(manager.stats().cancelledByAdmin, 1);
      const probe = createServer();
      probe.listen(port, '127.0.0.1');
      await once(probe, 'listening', { signal: AbortSignal.timeout(5000) });
      probe.close();
    });

    test('it keeps its port when enabled again', async (t) => {
      const { host } = await startHost(t);
      const mock = grpcMock(streamingSpec('v1'));
      const { port } = await host.apply(mock);
      await host.remove(mock.id);
      assert.equal((await host.apply(mock)).port, port);
    });
  });

  test('close() gives every stream UNAVAILABLE "server shutting down"', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(grpcMock(streamingSpec('v1')));
    const call = await openStream(t, greeterClient(t, port!));
    const status = statusOf(call);
    await host.close();
    const { code, details } = await status;
    assert.equal(code, grpc.status.UNAVAILABLE);
    assert.equal(details, 'server shutting down');
    assert.deepEqual(host.listeners(), []);
  });

  test('rejects with port_unavailable when the port is taken, leaving nothing registered', async (t) => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening', { signal: AbortSignal.timeout(5000) });
    t.after(() => blocker.close());
    const busy = (blocker.address() as { port: number }).port;
    const { host } = await startHost(t);
    await assert.rejects(host.apply(grpcMock({ ...streamingSpec('v1'), port: busy })), (err: unknown) => {
      assert.ok(err instanceof MockdError);
      assert.equal(err.code, 'port_unavailable');
      return true;
    });
    assert.deepEqual(host.runtimes(), []);
    assert.deepEqual(host.listeners(), []);
  });
});
