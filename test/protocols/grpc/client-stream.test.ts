import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { greeterClient, grpc, grpcMock, startHost, waitForStreams } from './helpers.ts';

const GREETER = 'helloworld.Greeter';

function collect(client: any, requests: object[], metadata = new grpc.Metadata()): Promise<{ error?: grpc.ServiceError; response?: any }> {
  return new Promise((resolve) => {
    const call = client.CollectHellos(metadata, { deadline: Date.now() + 5000 }, (error: grpc.ServiceError | null, response: any) =>
      resolve(error ? { error } : { response }),
    );
    for (const r of requests) call.write(r);
    call.end();
  });
}

describe('gRPC client-streaming calls', () => {
  test('answers once the client half-closes, templated from the last request', async (t) => {
    const { host, manager } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({ services: { [GREETER]: { methods: { CollectHellos: { response: { message: 'last was {{request.body.name}}' } } } } } }),
    );
    const { response, error } = await collect(greeterClient(t, port!), [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    assert.equal(error, undefined);
    assert.equal(response.message, 'last was c');
    const stats = manager.stats();
    assert.equal(stats.totalStreams, 1);
    assert.equal(stats.totalMessagesRecv, 3);
    assert.equal(stats.totalMessagesSent, 1);
  });

  test('selects the variant matching the last request only', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({
        services: {
          [GREETER]: {
            methods: {
              CollectHellos: {
                response: { message: 'default' },
                variants: [{ match: { request: { name: 'stop' } }, response: { message: 'stopped' } }],
              },
            },
          },
        },
      }),
    );
    const client = greeterClient(t, port!);
    assert.equal((await collect(client, [{ name: 'go' }, { name: 'stop' }])).response.message, 'stopped');
    assert.equal((await collect(client, [{ name: 'stop' }, { name: 'go' }])).response.message, 'default');
  });

  test('answers the configured error after reading the stream', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({ services: { [GREETER]: { methods: { CollectHellos: { error: { code: 'INVALID_ARGUMENT', message: 'bad batch' } } } } } }),
    );
    const { error } = await collect(greeterClient(t, port!), [{ name: 'a' }]);
    assert.equal(error?.code, grpc.status.INVALID_ARGUMENT);
    assert.equal(error?.details, 'bad batch');
  });

  test('is tracked as a client_stream while the client is still sending', async (t) => {
    const { host, manager } = await startHost(t);
    const { port } = await host.apply(grpcMock({ services: { [GREETER]: { methods: { CollectHellos: { response: { message: 'ok' } } } } } }));
    const call = greeterClient(t, port!).CollectHellos(() => undefined);
    t.after(() => call.cancel());
    call.write({ name: 'a' });
    await waitForStreams(manager, 1);
    assert.equal(manager.list()[0]!.streamType, 'client_stream');
    assert.deepEqual(manager.stats().streamsByMethod, { '/helloworld.Greeter/CollectHellos': 1 });
  });
});
