// grpc.proxy mocks and snapshots of gRPC traffic (issue 21), against a real grpc-js server with all four RPC kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSync } from '@grpc/proto-loader';
import { eventually, startMockd } from '../helpers/mockd.ts';
import { deferred, within } from '../helpers/wait.ts';
import { callUnary, greeterClient, grpc, HELLO_PROTO, readToEnd } from '../protocols/grpc/helpers.ts';
import { assertGapsClose, gapsOf } from './helpers.ts';

const STREAM_GAP_MS = 80;

/** A Greeter on loopback: metadata and trailers, an error status, a paced server stream, client and bidi streams. */
async function startGreeter(t: any): Promise<{ port: number; authorizations: string[]; stop(): void }> {
  const pkg = grpc.loadPackageDefinition(loadSync(HELLO_PROTO, { keepCase: true, longs: String, defaults: true })) as any;
  const server = new grpc.Server();
  const authorizations: string[] = [];
  server.addService(pkg.helloworld.Greeter.service, {
    SayHello(call: any, callback: any) {
      const auth = call.metadata.get('authorization')[0];
      if (auth) authorizations.push(String(auth));
      const header = new grpc.Metadata();
      header.set('x-upstream', 'yes');
      call.sendMetadata(header);
      const trailer = new grpc.Metadata();
      trailer.set('x-trace', 't1');
      if (call.request.name === 'boom') return callback({ code: grpc.status.NOT_FOUND, details: 'no such user', metadata: trailer });
      callback(null, { message: `hello ${call.request.name} ${call.metadata.get('x-client')[0] ?? ''}`, count: 1 }, trailer);
    },
    StreamHellos(call: any) {
      let i = 0;
      const next = () => {
        if (call.cancelled) return;
        if (i === call.request.times) return call.end();
        call.write({ message: `hi ${call.request.name} #${++i}`, count: i });
        setTimeout(next, STREAM_GAP_MS);
      };
      next();
    },
    CollectHellos(call: any, callback: any) {
      const names: string[] = [];
      call.on('data', (m: any) => names.push(m.name));
      call.on('end', () => callback(null, { message: names.join('+'), count: names.length }));
    },
    Chat(call: any) {
      call.on('data', (m: any) => call.write({ message: `chat:${m.name}`, count: 1 }));
      call.on('end', () => call.end());
    },
  });
  const bound = deferred<number>();
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? bound.reject(err) : bound.resolve(p)));
  const port = await within(bound.promise, 'the upstream gRPC server to bind');
  const stop = () => server.forceShutdown();
  t.after(stop);
  return { port, authorizations, stop };
}

interface Seen {
  unary: unknown;
  failure: { code: number; details: string; trace: unknown };
  stream: { messages: string[]; at: number[]; code: number };
  collected: unknown;
  chat: string[];
}

async function exercise(t: any, port: number): Promise<Seen> {
  const client = greeterClient(t, port);
  const md = new grpc.Metadata();
  md.set('x-client', 'abc');
  md.set('authorization', 'Bearer grpc-secret');
  const unary = await callUnary(client, 'SayHello', { name: 'ada' }, md);
  const failed = await callUnary(client, 'SayHello', { name: 'boom' });
  const started = performance.now();
  const call = client.StreamHellos({ name: 'bo', times: 3 });
  const at: number[] = [];
  call.on('data', () => at.push(performance.now() - started));
  const streamed = await readToEnd(call);
  const collecting = deferred<unknown>();
  const c = client.CollectHellos((err: unknown, res: unknown) => collecting.resolve(err ?? res));
  c.write({ name: 'x' });
  c.write({ name: 'y' });
  c.end();
  const collected = await within(collecting.promise, 'the client stream to end');
  const chat = client.Chat();
  chat.write({ name: 'one' });
  chat.write({ name: 'two' });
  chat.end();
  const chatted = await readToEnd(chat);
  return {
    unary: unary.response,
    failure: { code: failed.error!.code, details: failed.error!.details, trace: failed.error!.metadata?.get('x-trace')[0] },
    stream: { messages: streamed.messages.map((m) => m.message), at, code: streamed.status.code },
    collected,
    chat: chatted.messages.map((m) => m.message),
  };
}

test('forwards all four RPC kinds with metadata and status through a grpc.proxy mock, and replays the snapshot', async (t) => {
  const upstream = await startGreeter(t);
  const direct = await exercise(t, upstream.port);
  const m = await startMockd(t);
  const proxy = await m.createMock({ id: 'gp', grpc: { port: 0, protoFile: HELLO_PROTO, proxy: { upstream: `127.0.0.1:${upstream.port}` } } });
  const proxied = await exercise(t, proxy.grpc.port);
  assert.deepEqual({ ...proxied, stream: { ...proxied.stream, at: [] } }, { ...direct, stream: { ...direct.stream, at: [] } });
  assert.equal(proxied.failure.trace, 't1', 'trailers come back');
  assert.deepEqual(upstream.authorizations, ['Bearer grpc-secret', 'Bearer grpc-secret'], 'metadata goes upstream');

  const entries = (await m.api('/requests?protocol=grpc&mockId=gp')).body.requests;
  assert.ok(entries.every((e: any) => e.proxied === true));
  const unaryCall = entries.find((e: any) => e.grpc.kind === 'call' && e.grpc.body?.name === 'ada');
  assert.equal(unaryCall.grpc.metadata.authorization, '[REDACTED]');
  assert.match(unaryCall.grpc.response.message, /^hello ada/);
  assert.ok(entries.some((e: any) => e.grpc.kind === 'call' && e.grpc.statusCode === 5 && e.grpc.statusDetails === 'no such user'));
  assert.doesNotMatch(JSON.stringify(entries), /grpc-secret/);

  const snap = await m.api('/recordings/snapshot', { method: 'POST', body: { filter: { protocol: 'grpc', mockId: 'gp' }, timing: 'original', stopProxies: true } });
  assert.equal(snap.status, 201, JSON.stringify(snap.body));
  assert.equal(snap.body.created, 1);
  assert.doesNotMatch(JSON.stringify(snap.body), /grpc-secret/);
  upstream.stop();
  const replayed = await exercise(t, snap.body.mocks[0].grpc.port);
  assert.deepEqual(replayed.unary, proxied.unary);
  assert.deepEqual([replayed.failure.code, replayed.failure.details], [proxied.failure.code, proxied.failure.details]);
  assert.deepEqual(replayed.stream.messages, proxied.stream.messages);
  assert.deepEqual(replayed.collected, proxied.collected);
  assert.deepEqual(replayed.chat, proxied.chat);
  // The contract's server stream has one streamDelay: the mean of the recorded gaps.
  const streamDelay = snap.body.mocks[0].grpc.services['helloworld.Greeter'].methods.StreamHellos.streamDelay;
  assert.ok(Math.abs(streamDelay - STREAM_GAP_MS) <= Math.max(20, STREAM_GAP_MS * 0.2) || streamDelay > STREAM_GAP_MS, `recorded ${streamDelay} ms`);
  assertGapsClose(gapsOf(replayed.stream.at).slice(1), [streamDelay, streamDelay], 'replayed server stream');
});

test('a mock change ends proxied gRPC streams with UNAVAILABLE', async (t) => {
  const upstream = await startGreeter(t);
  const m = await startMockd(t);
  const proxy = await m.createMock({ id: 'gp', grpc: { port: 0, protoFile: HELLO_PROTO, proxy: { upstream: `127.0.0.1:${upstream.port}` } } });
  const client = greeterClient(t, proxy.grpc.port);
  const call = client.StreamHellos({ name: 'long', times: 1000 });
  const ending = readToEnd(call);
  const streams = await eventually(async () => (await m.api('/grpc/connections')).body.streams, (x: any[]) => x.length > 0);
  assert.equal(streams.length, 1, 'the proxied stream is listed');
  await eventually(async () => (await m.api('/requests?protocol=grpc&mockId=gp')).body.total, (n: number) => n >= 2);
  await m.api('/mocks/gp', { method: 'PATCH', body: { name: 'changed' } });
  const { status } = await ending;
  assert.equal(status.code, grpc.status.UNAVAILABLE);
});
