import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { greeterClient, grpc, grpcMock, nextMessage, readToEnd, startHost, waitForStreams } from './helpers.ts';

const GREETER = 'helloworld.Greeter';

describe('gRPC bidirectional calls', () => {
  test('answers the i-th message with responses[i], repeating the last, and ends OK on half-close', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({
        services: { [GREETER]: { methods: { Chat: { responses: [{ message: 'first to {{request.body.name}}' }, { message: 'then {{request.body.name}}' }] } } } },
      }),
    );
    const call = greeterClient(t, port!).Chat();
    const outcome = readToEnd(call);
    for (const name of ['a', 'b', 'c']) call.write({ name });
    call.end();
    const { messages, status } = await outcome;
    assert.equal(status.code, grpc.status.OK);
    assert.deepEqual(messages.map((m) => m.message), ['first to a', 'then b', 'then c']);
  });

  test('replies to each message as it arrives, while the stream stays open', async (t) => {
    const { host, manager } = await startHost(t);
    const { port } = await host.apply(grpcMock({ services: { [GREETER]: { methods: { Chat: { response: { message: 'echo {{request.body.name}}' } } } } } }));
    const call = greeterClient(t, port!).Chat();
    call.on('error', () => undefined);
    t.after(() => call.cancel());
    call.write({ name: 'one' });
    assert.equal((await nextMessage(call)).message, 'echo one');
    call.write({ name: 'two' });
    assert.equal((await nextMessage(call)).message, 'echo two');
    await waitForStreams(manager, 1);
    const [stream] = manager.list();
    assert.equal(stream!.streamType, 'bidi');
    assert.equal(stream!.method, '/helloworld.Greeter/Chat');
    assert.equal(stream!.messagesRecv, 2);
    assert.equal(stream!.messagesSent, 2);
  });

  test('selects per message by its fields', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({
        services: {
          [GREETER]: {
            methods: { Chat: { response: { message: 'plain' }, variants: [{ match: { request: { name: 'ping' } }, response: { message: 'pong' } }] } },
          },
        },
      }),
    );
    const call = greeterClient(t, port!).Chat();
    const outcome = readToEnd(call);
    for (const name of ['ping', 'hello', 'ping']) call.write({ name });
    call.end();
    assert.deepEqual((await outcome).messages.map((m) => m.message), ['pong', 'plain', 'pong']);
  });

  test('gives RESOURCE_EXHAUSTED when no response is configured', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(grpcMock({ services: { [GREETER]: { methods: { Chat: { delay: 1 } } } } }));
    const call = greeterClient(t, port!).Chat();
    const outcome = readToEnd(call);
    call.write({ name: 'x' });
    const { status } = await outcome;
    assert.equal(status.code, grpc.status.RESOURCE_EXHAUSTED);
  });

  test('ends with the configured error', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(grpcMock({ services: { [GREETER]: { methods: { Chat: { error: { code: 'ABORTED', message: 'go away' } } } } } }));
    const call = greeterClient(t, port!).Chat();
    const outcome = readToEnd(call);
    call.write({ name: 'x' });
    const { status } = await outcome;
    assert.equal(status.code, grpc.status.ABORTED);
    assert.equal(status.details, 'go away');
  });
});
