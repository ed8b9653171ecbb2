import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readToEnd, statusOf } from '../protocols/grpc/helpers.ts';
import { deferred, within } from '../helpers/wait.ts';
import { callUnary, createGrpc, greeter, grpc, requests, SAY_HELLO, sharedMockd, startWait } from './helpers.ts';

const STREAM_HELLOS = '/helloworld.Greeter/StreamHellos';

const METHODS = {
  SayHello: { response: { message: 'hi {{request.body.name}}' } },
  SayGoodbye: { error: { code: 'NOT_FOUND', message: 'gone' } },
  StreamHellos: { responses: [{ message: 'one' }, { message: 'two' }] },
  CollectHellos: { response: { message: 'collected' } },
  Chat: { responses: [{ message: 'r1' }, { message: 'r2' }] },
};

describe('gRPC in the request journal', () => {
  const mockd = sharedMockd();

  test('records a unary call as one `call` entry with status 0, the decoded request and the metadata', async (t) => {
    const m = mockd();
    const mock = await createGrpc(m, METHODS);
    const md = new grpc.Metadata();
    md.set('x-team', 'blue');
    md.set('trace-bin', Buffer.from([1, 2, 3]));
    const { response } = await callUnary(greeter(t, mock.port), 'SayHello', { name: 'Ada', times: 2 }, md);
    assert.equal(response.message, 'hi Ada');

    const { requests: entries } = await requests(m, { mockId: mock.id });
    assert.equal(entries.length, 1, 'unary calls add no message entries');
    const [e] = entries;
    assert.equal(e.protocol, 'grpc');
    assert.equal(e.matched, true);
    const { metadata, ...block } = e.grpc;
    assert.deepEqual(block, { method: SAY_HELLO, streamType: 'unary', kind: 'call', statusCode: 0, body: { name: 'Ada', times: 2, user_id: '' } });
    assert.equal(metadata['x-team'], 'blue');
    assert.equal(metadata['trace-bin'], 'AQID', 'binary metadata as base64');
  });

  test('records an error call with its numeric status code', async (t) => {
    const m = mockd();
    const mock = await createGrpc(m, METHODS);
    const { error } = await callUnary(greeter(t, mock.port), 'SayGoodbye', { name: 'x' });
    assert.equal(error?.code, grpc.status.NOT_FOUND);

    const [e] = (await requests(m, { mockId: mock.id })).requests;
    assert.deepEqual([e.matched, e.grpc.method, e.grpc.kind, e.grpc.statusCode], [true, '/helloworld.Greeter/SayGoodbye', 'call', 5]);
  });

  test('records calls no configuration answered as unmatched, without a mock id', async (t) => {
    const m = mockd();
    const mock = await createGrpc(m, { SayHello: { match: { metadata: { 'x-key': 'a' } }, response: { message: 'keyed' } } });
    const client = greeter(t, mock.port);
    const { requests: before } = await requests(m, { protocol: 'grpc', matched: 'false' });
    assert.equal((await callUnary(client, 'SayHello', { name: 'nokey' })).error?.code, grpc.status.UNIMPLEMENTED);
    assert.equal((await callUnary(client, 'SayGoodbye', { name: 'unlisted' })).error?.code, grpc.status.UNIMPLEMENTED);

    const { requests: after } = await requests(m, { protocol: 'grpc', matched: 'false' });
    const fresh = after.slice(before.length);
    assert.deepEqual(
      fresh.map((e) => [e.mockId, e.grpc.method, e.grpc.statusCode, e.grpc.body.name]),
      [[undefined, SAY_HELLO, 12, 'nokey'], [undefined, '/helloworld.Greeter/SayGoodbye', 12, 'unlisted']],
    );
    const verify = await m.api(`/mocks/${mock.id}/verify`);
    assert.deepEqual(verify.body, { mockId: mock.id, callCount: 0 });
  });

  test('records a server stream as the request, each reply and the call end, all with its streamId', async (t) => {
    const m = mockd();
    const mock = await createGrpc(m, METHODS);
    const { messages, status } = await readToEnd(greeter(t, mock.port).StreamHellos({ name: 'Bo' }));
    assert.equal(status.code, grpc.status.OK);
    assert.equal(messages.length, 2);

    const entries = (await requests(m, { mockId: mock.id })).requests;
    const streamId = entries[0].grpc.streamId;
    assert.match(streamId, /^grpc-stream-\d+$/);
    assert.deepEqual(
      entries.map((e) => ({ ...e.grpc, metadata: undefined })),
      [
        { method: STREAM_HELLOS, streamType: 'server_stream', streamId, kind: 'message', direction: 'in', body: { name: 'Bo', times: 0, user_id: '' }, metadata: undefined },
        { method: STREAM_HELLOS, streamType: 'server_stream', streamId, kind: 'message', direction: 'out', body: { message: 'one' }, metadata: undefined },
        { method: STREAM_HELLOS, streamType: 'server_stream', streamId, kind: 'message', direction: 'out', body: { message: 'two' }, metadata: undefined },
        { method: STREAM_HELLOS, streamType: 'server_stream', streamId, kind: 'call', statusCode: 0, metadata: undefined },
      ],
    );
    assert.ok(entries.every((e) => e.mockId === mock.id && e.matched === true));
    assert.equal(typeof entries[3].grpc.metadata, 'object');

    const byStream = await requests(m, { connectionId: streamId });
    assert.deepEqual(byStream.requests.map((e) => e.id), entries.map((e) => e.id));
  });

  test('records bidi and client-stream messages in both directions, the call entry last', async (t) => {
    const m = mockd();
    const mock = await createGrpc(m, METHODS);
    const client = greeter(t, mock.port);

    const chat = client.Chat();
    const replies = readToEnd(chat);
    chat.write({ name: 'a' });
    chat.write({ name: 'b' });
    chat.end();
    assert.equal((await replies).status.code, grpc.status.OK);

    const collected = deferred<any>();
    const call = client.CollectHellos(new grpc.Metadata(), { deadline: Date.now() + 5000 }, (err: unknown, res: unknown) => collected.resolve(err ?? res));
    call.write({ name: 'x' });
    call.write({ name: 'y' });
    call.end();
    assert.equal((await within(collected.promise, 'the CollectHellos response')).message, 'collected');

    const summary = (e: any) => `${e.grpc.streamType} ${e.grpc.kind} ${e.grpc.direction ?? e.grpc.statusCode} ${e.grpc.body?.name ?? e.grpc.body?.message ?? ''}`.trim();
    const entries = (await requests(m, { mockId: mock.id })).requests;
    const chatId = entries[0].grpc.streamId;
    const chatEntries = entries.filter((e) => e.grpc.streamId === chatId);
    // Replies interleave with requests as they are produced; the per-direction order is fixed.
    assert.deepEqual(chatEntries.filter((e) => e.grpc.direction === 'in').map(summary), ['bidi message in a', 'bidi message in b']);
    assert.deepEqual(chatEntries.filter((e) => e.grpc.direction === 'out').map(summary), ['bidi message out r1', 'bidi message out r2']);
    assert.equal(summary(chatEntries.at(-1)), 'bidi call 0');
    const collectEntries = entries.filter((e) => e.grpc.streamId !== chatId);
    assert.notEqual(collectEntries[0].grpc.streamId, chatId);
    assert.deepEqual(collectEntries.map(summary), [
      'client_stream message in x',
      'client_stream message in y',
      'client_stream message out collected',
      'client_stream call 0',
    ]);
  });

  test('records a client cancel as CANCELLED and a passed deadline as DEADLINE_EXCEEDED', async (t) => {
    const m = mockd();
    const mock = await createGrpc(m, { StreamHellos: { delay: '10s', response: { message: 'late' } } });
    const client = greeter(t, mock.port);

    // The request's `in` entry shows the server is in the handler; only then is the cancel the server's to see.
    const started = await startWait(m, { filter: { mockId: mock.id, method: STREAM_HELLOS }, count: 1, timeoutMs: 5000 });
    const call = client.StreamHellos({ name: 'c' });
    const ended = statusOf(call);
    const [request] = (await started.result).body.requests;
    const finished = await startWait(m, { filter: { connectionId: request.grpc.streamId }, count: 1, timeoutMs: 5000 });
    call.cancel();
    assert.equal((await ended).code, grpc.status.CANCELLED);
    const cancelled = (await finished.result).body.requests;
    assert.deepEqual(cancelled.map((e: any) => [e.grpc.kind, e.grpc.statusCode]), [['call', 1]]);

    const timedOut = await startWait(m, { filter: { mockId: mock.id, method: STREAM_HELLOS }, count: 2, timeoutMs: 5000 });
    const late = client.StreamHellos({ name: 'd' }, { deadline: Date.now() + 300 });
    assert.equal((await statusOf(late)).code, grpc.status.DEADLINE_EXCEEDED);
    const entries = (await timedOut.result).body.requests;
    assert.deepEqual(entries.map((e: any) => [e.grpc.kind, e.grpc.statusCode]), [['message', undefined], ['call', 4]]);
  });

  test('filters by gRPC method, and verify counts calls (not messages)', async (t) => {
    const m = mockd();
    const mock = await createGrpc(m, METHODS);
    const client = greeter(t, mock.port);
    await callUnary(client, 'SayHello', { name: '1' });
    await readToEnd(client.StreamHellos({ name: '2' }));
    await callUnary(client, 'SayHello', { name: '3' });
    await callUnary(client, 'SayGoodbye', { name: '4' });

    const byMethod = await requests(m, { mockId: mock.id, method: SAY_HELLO });
    assert.deepEqual(byMethod.requests.map((e) => e.grpc.body.name), ['1', '3']);
    const all = (await requests(m, { mockId: mock.id })).requests;
    const calls = all.filter((e) => e.grpc.kind === 'call');
    assert.equal(calls.length, 4);

    const verify = await m.api(`/mocks/${mock.id}/verify`);
    assert.deepEqual(verify.body, { mockId: mock.id, callCount: 4, lastCalledAt: calls.at(-1).timestamp });
    const invocations = await m.api(`/mocks/${mock.id}/invocations?limit=2&offset=1`);
    assert.deepEqual(invocations.body.invocations.map((e: any) => e.id), calls.slice(1, 3).map((e) => e.id));
    assert.deepEqual([invocations.body.count, invocations.body.total], [2, 4]);
  });

  test('caps a request body over 64 KiB and marks the entry bodyTruncated', async (t) => {
    const m = mockd();
    const mock = await createGrpc(m, METHODS);
    await callUnary(greeter(t, mock.port), 'SayHello', { name: 'n'.repeat(70 * 1024) });
    const [e] = (await requests(m, { mockId: mock.id })).requests;
    assert.equal(e.bodyTruncated, true);
    assert.equal(typeof e.grpc.body, 'string');
    assert.equal(Buffer.byteLength(e.grpc.body), 64 * 1024);
  });
});
