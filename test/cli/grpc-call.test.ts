// `mockd grpc call` without --proto reads the protos by server reflection, and --timeout bounds the call (0 = none).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, runCli, startMockd } from '../helpers/mockd.ts';

const PROTO = join(ROOT, 'test/fixtures/grpc/helloworld.proto');

function greeter(extra: Record<string, unknown>, streamDelay = '200ms') {
  return {
    grpc: {
      port: 0,
      protoFile: PROTO,
      services: {
        'helloworld.Greeter': {
          methods: {
            SayHello: { response: { message: 'hello {{request.body.name}}' } },
            StreamHellos: { responses: [{ message: 'one' }, { message: 'two' }, { message: 'three' }], streamDelay },
          },
        },
      },
      ...extra,
    },
  };
}

describe('mockd grpc call', () => {
  let mockd: Awaited<ReturnType<typeof startMockd>>;
  let reflecting: string;
  let silent: string;
  let slow: string;
  let slower: string;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    mockd = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
    reflecting = `127.0.0.1:${(await mockd.createMock(greeter({ reflection: true }))).grpc.port}`;
    silent = `127.0.0.1:${(await mockd.createMock(greeter({}))).grpc.port}`;
    slow = `127.0.0.1:${(await mockd.createMock(greeter({}, '1500ms'))).grpc.port}`;
    // Three messages 5.5 s apart: longer than the default 10 s deadline.
    slower = `127.0.0.1:${(await mockd.createMock(greeter({}, '5500ms'))).grpc.port}`;
  });
  after(async () => {
    for (const fn of cleanups) await fn();
  });

  test('without --proto calls a unary method through server reflection', async () => {
    const r = await runCli(['grpc', 'call', reflecting, 'helloworld.Greeter/SayHello', '{"name":"ann"}']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { message: 'hello ann', count: '0' });
  });

  test('without --proto reads a server stream through server reflection', async () => {
    const r = await runCli(['grpc', 'call', reflecting, 'helloworld.Greeter/StreamHellos', '{"name":"s"}', '--timeout', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l).message), ['one', 'two', 'three']);
  });

  test('without --proto against a server without reflection says to pass --proto', async () => {
    const r = await runCli(['grpc', 'call', silent, 'helloworld.Greeter/SayHello', '{}']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: the server offers no server reflection: pass the protos with --proto$/m);
  });

  test('a service the reflecting server does not have is named in the error', async () => {
    const r = await runCli(['grpc', 'call', reflecting, 'nope.Missing/Call', '{}']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: the server does not offer nope\.Missing/m);
  });

  test('--timeout cuts a stream that outlasts it with DEADLINE_EXCEEDED, before its last message', async () => {
    const r = await runCli(['grpc', 'call', slow, 'helloworld.Greeter/StreamHellos', '{}', '--proto', PROTO, '--timeout', '2']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: DEADLINE_EXCEEDED/m);
    assert.ok(!r.stdout.includes('three'), r.stdout);
  });

  test('--timeout 0 lets a stream run past the default 10 s deadline to its end', async () => {
    const r = await runCli(['grpc', 'call', slower, 'helloworld.Greeter/StreamHellos', '{}', '--proto', PROTO, '--timeout', '0'], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l).message), ['one', 'two', 'three']);
  });

  test('a negative --timeout is a usage error', async () => {
    const r = await runCli(['grpc', 'call', silent, 'helloworld.Greeter/SayHello', '{}', '--timeout=-1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--timeout must be a number of seconds, 0 or more/);
  });
});

describe('mockd add grpc --response', () => {
  test('that is not JSON is refused as not valid JSON, with exit code 2', async () => {
    const r = await runCli(['add', 'grpc', '--admin-url', 'http://127.0.0.1:1', '--proto', PROTO, '--service', 'helloworld.Greeter', '--rpc-method', 'SayHello', '--response', 'not json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Error: --response is not valid JSON: not json$/m);
  });
});

describe('mockd <group> stats', () => {
  test('an empty connectionsByMock prints "none", not an empty heading', async (t) => {
    const m = await startMockd(t);
    for (const group of ['websocket', 'sse', 'mqtt', 'grpc']) {
      const r = await runCli([group, 'stats', '--admin-url', m.adminUrl]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Connections By Mock: none$/m, `${group}: ${r.stdout}`);
      assert.doesNotMatch(r.stdout, /:\n(?! {2})|:$(?![\s\S])/, `${group}: no heading without entries under it:\n${r.stdout}`);
    }
  });
});
