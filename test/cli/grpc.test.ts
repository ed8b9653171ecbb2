import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, eventually, runCli, startMockd } from '../helpers/mockd.ts';

const PROTO = join(ROOT, 'test/fixtures/grpc/helloworld.proto');

test('mockd grpc call, grpc connections and grpc stats against a gRPC mock', async (t) => {
  const m = await startMockd(t);
  const mock = await m.createMock({
    id: 'greeter',
    grpc: {
      port: 0,
      protoFile: PROTO,
      services: {
        'helloworld.Greeter': {
          methods: {
            SayHello: { response: { message: 'hello {{request.body.name}}' } },
            StreamHellos: { responses: [{ message: 'one' }, { message: 'two' }], streamDelay: '10s' },
          },
        },
      },
    },
  });
  const addr = `127.0.0.1:${mock.grpc.port}`;
  const admin = ['--admin-url', m.adminUrl];

  const unary = await runCli(['grpc', 'call', addr, 'helloworld.Greeter/SayHello', '{"name":"cli"}', '--proto', PROTO]);
  assert.equal(unary.code, 0, unary.stderr);
  assert.deepEqual(JSON.parse(unary.stdout), { message: 'hello cli', count: '0' });

  const missing = await runCli(['grpc', 'call', addr, 'helloworld.Greeter/SayGoodbye', '{}', '--proto', PROTO]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^Error: UNIMPLEMENTED/);

  // A server stream that stays open (10 s between messages) is listed while the CLI waits for its second message.
  const streaming = runCli(['grpc', 'call', addr, 'helloworld.Greeter/StreamHellos', '{"name":"s"}', '--proto', PROTO], { timeoutMs: 30_000 });
  const listed = await eventually(() => m.api('/grpc/connections'), (r) => r.body.streams.length === 1, 20_000);
  const stream = listed.body.streams[0];

  const list = await runCli(['grpc', 'connections', 'list', ...admin]);
  const lines = list.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^ID\s{2,}METHOD\s{2,}STREAM TYPE\s{2,}MOCK ID\s{2,}CLIENT\s{2,}CONNECTED\s{2,}MSG SENT\s{2,}MSG RECV$/);
  assert.match(lines[1]!, new RegExp(`^${stream.id}\\s{2,}/helloworld\\.Greeter/StreamHellos\\s{2,}server_stream\\s{2,}greeter\\s{2,}127\\.0\\.0\\.1:\\d+\\s{2,}\\d+s\\s{2,}1\\s{2,}1$`));
  assert.equal(lines[2], 'Total: 1 stream(s)');

  const stats = await runCli(['grpc', 'stats', ...admin]);
  assert.match(stats.stdout, /^Active Streams: 1$/m);
  assert.match(stats.stdout, /^Total RPCs: [23]$/m);
  assert.match(stats.stdout, /^ {2}greeter: 1$/m);

  const close = await runCli(['grpc', 'connections', 'close', stream.id, ...admin]);
  assert.equal(close.stdout, `Cancelled gRPC stream: ${stream.id}\n`);
  const ended = await streaming;
  assert.equal(ended.code, 1);
  assert.match(ended.stderr, /UNAVAILABLE: stream cancelled by admin/);
  assert.match(ended.stdout, /"message":"one"/);
  const empty = await runCli(['grpc', 'connections', 'ls', ...admin]);
  assert.equal(empty.stdout, 'No active gRPC streams\n');
  const closeJson = await runCli(['grpc', 'connections', 'close', stream.id, ...admin, '--json']);
  assert.equal(closeJson.code, 1);
  assert.deepEqual(JSON.parse(closeJson.stdout), { error: 'not_found', message: 'Stream not found' });
});
