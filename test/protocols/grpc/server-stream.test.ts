import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { callUnary, greeterClient, grpc, grpcMock, nextMessage, readToEnd, startHost, waitForStreams } from './helpers.ts';

const GREETER = 'helloworld.Greeter';

describe('gRPC server-streaming calls', () => {
  test('sends every response, templated, then ends OK', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({
        services: {
          [GREETER]: {
            methods: { StreamHellos: { responses: [{ message: 'hi {{request.body.name}}' }, { message: 'again' }, { message: 'bye' }] } },
          },
        },
      }),
    );
    const { messages, status } = await readToEnd(greeterClient(t, port!).StreamHellos({ name: 'Ada' }));
    assert.equal(status.code, grpc.status.OK);
    assert.deepEqual(messages.map((m) => m.message), ['hi Ada', 'again', 'bye']);
  });

  test('sends a single `response` as a one-message stream', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(grpcMock({ services: { [GREETER]: { methods: { StreamHellos: { response: { message: 'only' } } } } } }));
    const { messages, status } = await readToEnd(greeterClient(t, port!).StreamHellos({ name: 'x' }));
    assert.equal(status.code, grpc.status.OK);
    assert.deepEqual(messages.map((m) => m.message), ['only']);
  });

  test('sends the first response at once and the rest streamDelay apart', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({
        services: {
          [GREETER]: {
            methods: {
              SayHello: { response: { message: 'warm-up' } },
              StreamHellos: { streamDelay: 200, responses: [{ message: '1' }, { message: '2' }, { message: '3' }] },
            },
          },
        },
      }),
    );
    const client = greeterClient(t, port!);
    // Connect first, so the timing below measures the stream and not the HTTP/2 handshake.
    assert.equal((await callUnary(client, 'SayHello', { name: 'x' })).response.message, 'warm-up');
    const call = client.StreamHellos({ name: 'x' });
    const arrivals: number[] = [];
    const started = performance.now();
    call.on('data', () => arrivals.push(performance.now() - started));
    const { status } = await readToEnd(call);
    assert.equal(status.code, grpc.status.OK);
    assert.equal(arrivals.length, 3);
    assert.ok(arrivals[0]! < 180, `first message came after ${arrivals[0]} ms`);
    assert.ok(arrivals[2]! - arrivals[0]! >= 390, `three messages took only ${arrivals[2]! - arrivals[0]!} ms`);
  });

  test('ends with the configured error after the delay, sending nothing', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(
      grpcMock({
        services: {
          [GREETER]: { methods: { StreamHellos: { delay: '50ms', error: { code: 'PERMISSION_DENIED', message: 'nope' }, responses: [{ message: 'x' }] } } },
        },
      }),
    );
    const { messages, status } = await readToEnd(greeterClient(t, port!).StreamHellos({ name: 'x' }));
    assert.equal(status.code, grpc.status.PERMISSION_DENIED);
    assert.equal(status.details, 'nope');
    assert.deepEqual(messages, []);
  });

  test('is tracked as a server_stream while open, with its message counts', async (t) => {
    const { host, manager } = await startHost(t);
    const mock = grpcMock({
      services: { [GREETER]: { methods: { StreamHellos: { streamDelay: '10s', responses: [{ message: 'first' }, { message: 'much later' }] } } } },
    });
    const { port } = await host.apply(mock);
    const call = greeterClient(t, port!).StreamHellos({ name: 'x' });
    call.on('error', () => undefined);
    t.after(() => call.cancel());
    assert.equal((await nextMessage(call)).message, 'first');
    await waitForStreams(manager, 1);
    const [stream] = manager.list();
    assert.match(stream!.id, /^grpc-stream-\d+$/);
    assert.equal(stream!.mockId, mock.id);
    assert.equal(stream!.method, '/helloworld.Greeter/StreamHellos');
    assert.equal(stream!.streamType, 'server_stream');
    assert.match(stream!.clientAddr, /^127\.0\.0\.1:\d+$/);
    assert.equal(stream!.messagesSent, 1);
    assert.equal(stream!.messagesRecv, 1);
    assert.deepEqual(manager.get(stream!.id), stream);
  });
});
