import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GrpcSpec } from '../../../src/mocks/types.ts';
import { callUnary, greeterClient, grpc, grpcMock, startHost } from './helpers.ts';

const GREETER = 'helloworld.Greeter';

describe('gRPC unary calls', () => {
  test('answers with the configured response, templated from the request body and metadata', async (t) => {
    const { host, manager } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({
        services: {
          [GREETER]: { methods: { SayHello: { response: { message: 'Hello {{request.body.name}} from {{request.header.x-team}}', count: 3 } } } },
        },
      }),
    );
    const client = greeterClient(t, port!);
    const metadata = new grpc.Metadata();
    metadata.set('x-team', 'blue');
    const { response, error } = await callUnary(client, 'SayHello', { name: 'Ada' }, metadata);
    assert.equal(error, undefined);
    assert.deepEqual(response, { message: 'Hello Ada from blue', count: '3' });
    const stats = manager.stats();
    assert.equal(stats.totalRPCs, 1);
    assert.equal(stats.totalStreams, 0, 'unary calls are not streams');
    assert.deepEqual(manager.list(), []);
  });

  test('templates request fields by their .proto names', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({ services: { [GREETER]: { methods: { SayHello: { response: { message: 'user={{request.body.user_id}}' } } } } } }),
    );
    const { response } = await callUnary(greeterClient(t, port!), 'SayHello', { user_id: 'u-7' });
    assert.equal(response.message, 'user=u-7');
  });

  test('answers the configured error with its status code and message', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({ services: { [GREETER]: { methods: { SayHello: { error: { code: 'NOT_FOUND', message: 'no such user' } } } } } }),
    );
    const { error } = await callUnary(greeterClient(t, port!), 'SayHello', { name: 'x' });
    assert.equal(error?.code, grpc.status.NOT_FOUND);
    assert.equal(error?.details, 'no such user');
  });

  test('maps an unknown error code name to UNKNOWN', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({ services: { [GREETER]: { methods: { SayHello: { error: { code: 'TEAPOT', message: 'short and stout' } } } } } }),
    );
    const { error } = await callUnary(greeterClient(t, port!), 'SayHello', { name: 'x' });
    assert.equal(error?.code, grpc.status.UNKNOWN);
    assert.equal(error?.details, 'short and stout');
  });

  test('waits the configured delay before answering', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({ services: { [GREETER]: { methods: { SayHello: { delay: '150ms', response: { message: 'late' } } } } } }),
    );
    const started = performance.now();
    const { response } = await callUnary(greeterClient(t, port!), 'SayHello', { name: 'x' });
    assert.equal(response.message, 'late');
    assert.ok(performance.now() - started >= 140, 'answered before the delay');
  });

  test('gives DEADLINE_EXCEEDED when the delay outlasts the client deadline', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({ services: { [GREETER]: { methods: { SayHello: { delay: '5s', response: { message: 'never' } } } } } }),
    );
    const { error } = await callUnary(greeterClient(t, port!), 'SayHello', { name: 'x' }, undefined, { deadline: Date.now() + 100 });
    assert.equal(error?.code, grpc.status.DEADLINE_EXCEEDED);
  });

  test('a call still waiting its delay gets UNAVAILABLE "mock configuration updated" when its mock changes', async (t) => {
    const { host, manager } = await startHost(t);
    const mock = grpcMock({ services: { [GREETER]: { methods: { SayHello: { delay: '5s', response: { message: 'old' } } } } } });
    const { port } = await host.apply(mock);
    const client = greeterClient(t, port!);
    const pending = callUnary(client, 'SayHello', { name: 'x' });
    await until(() => manager.stats().totalRPCs === 1);

    await host.apply({ ...mock, grpc: { ...mock.grpc!, services: { [GREETER]: { methods: { SayHello: { response: { message: 'new' } } } } } } });

    const { error } = await pending;
    assert.equal(error?.code, grpc.status.UNAVAILABLE);
    assert.equal(error?.details, 'mock configuration updated');
    assert.equal((await callUnary(client, 'SayHello', { name: 'x' })).response.message, 'new');
  });

  describe('with match variants', () => {
    const spec: Partial<GrpcSpec> = {
      services: {
        [GREETER]: {
          methods: {
            SayHello: {
              response: { message: 'catch-all' },
              variants: [
                { match: { metadata: { 'x-tier': 'gold' } }, response: { message: 'gold tier' } },
                { match: { metadata: { authorization: '*' } }, response: { message: 'has auth' } },
                { match: { request: { name: 'Ada', times: 2 } }, response: { message: 'Ada twice' } },
              ],
            },
          },
        },
      },
    };
    const cases: { name: string; request: object; metadata?: Record<string, string>; expected: string }[] = [
      { name: 'a metadata value', request: { name: 'x' }, metadata: { 'x-tier': 'gold' }, expected: 'gold tier' },
      { name: 'metadata presence with "*"', request: { name: 'x' }, metadata: { authorization: 'Bearer t' }, expected: 'has auth' },
      { name: 'request fields', request: { name: 'Ada', times: 2 }, expected: 'Ada twice' },
      { name: 'the first matching variant in order', request: { name: 'Ada', times: 2 }, metadata: { 'x-tier': 'gold' }, expected: 'gold tier' },
      { name: 'no variant (falls back to the catch-all)', request: { name: 'Ada', times: 3 }, metadata: { 'x-tier': 'silver' }, expected: 'catch-all' },
    ];
    for (const c of cases) {
      test(`selects by ${c.name}`, async (t) => {
        const { host } = await startHost(t);
        const { port } = await host.apply(grpcMock(spec));
        const metadata = new grpc.Metadata();
        for (const [k, v] of Object.entries(c.metadata ?? {})) metadata.set(k, v);
        const { response, error } = await callUnary(greeterClient(t, port!), 'SayHello', c.request, metadata);
        assert.equal(error, undefined);
        assert.equal(response.message, c.expected);
      });
    }

    test('prefers a conditioned config over a catch-all listed before it', async (t) => {
      const { host } = await startHost(t);
      const { port } = await host.apply(
        grpcMock({
          services: {
            [GREETER]: {
              methods: {
                SayHello: {
                  match: { request: { name: 'vip' } },
                  response: { message: 'vip' },
                  variants: [{ response: { message: 'anyone' } }],
                },
              },
            },
          },
        }),
      );
      const client = greeterClient(t, port!);
      assert.equal((await callUnary(client, 'SayHello', { name: 'vip' })).response.message, 'vip');
      assert.equal((await callUnary(client, 'SayHello', { name: 'joe' })).response.message, 'anyone');
    });

    test('answers UNIMPLEMENTED "no mock configured" when no candidate holds', async (t) => {
      const { host } = await startHost(t);
      const { port } = await host.apply(
        grpcMock({
          services: { [GREETER]: { methods: { SayHello: { match: { metadata: { 'x-key': '*' } }, response: { message: 'keyed' } } } } },
        }),
      );
      const { error } = await callUnary(greeterClient(t, port!), 'SayHello', { name: 'x' });
      assert.equal(error?.code, grpc.status.UNIMPLEMENTED);
      assert.equal(error?.details, 'no mock configured for helloworld.Greeter/SayHello');
    });
  });
});

/** Resolves once `condition` holds, checking once per event-loop turn; unary calls raise no event to await. */
async function until(condition: () => boolean): Promise<void> {
  const signal = AbortSignal.timeout(5000);
  while (!condition()) {
    if (signal.aborted) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
