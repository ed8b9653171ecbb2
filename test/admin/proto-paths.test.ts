// A gRPC mock written through the admin API with a relative protoFile keeps working when mockd is restarted from
// another folder, and a mock whose port is taken at startup is reported the same way by /handlers and /ports,
// without grpc-js's own log line on stderr.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { adminClient, ROOT, spawnMockd, tempDir } from '../helpers/mockd.ts';
import { nextEvent } from '../helpers/wait.ts';

const RELATIVE_PROTO = 'test/fixtures/grpc/helloworld.proto';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await nextEvent(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await nextEvent(server, 'close');
  return port;
}

describe('a relative protoFile written through the admin API', () => {
  test('is stored absolute, resolved against the admin process folder, and still loads after a restart elsewhere', async (t) => {
    const dataDir = tempDir(t);
    const elsewhere = tempDir(t, 'mockd-elsewhere-');
    const port = await freePort();
    const mock = {
      id: 'greeter',
      grpc: { port, protoFile: RELATIVE_PROTO, importPaths: ['test/fixtures'], services: { 'helloworld.Greeter': { methods: { SayHello: { response: { message: 'hi' } } } } } },
    };

    const first = await spawnMockd(t, ['--data-dir', dataDir]);
    const created = await adminClient(first.adminUrl).api('/mocks', { method: 'POST', body: mock });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.mock.grpc.protoFile, join(ROOT, RELATIVE_PROTO));
    assert.deepEqual(created.body.mock.grpc.importPaths, [join(ROOT, 'test/fixtures')]);
    const patched = await adminClient(first.adminUrl).api('/mocks/greeter', { method: 'PATCH', body: { grpc: { protoFile: RELATIVE_PROTO } } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.mock.grpc.protoFile, join(ROOT, RELATIVE_PROTO));
    assert.equal(await first.stop(), 0);

    const second = await spawnMockd(t, ['--data-dir', dataDir], {}, elsewhere);
    const { body } = await adminClient(second.adminUrl).api('/handlers');
    const handler = body.handlers.find((h: { id: string }) => h.id === 'greeter');
    assert.deepEqual({ status: handler.status, port: handler.port, error: handler.error }, { status: 'running', port, error: undefined });
    assert.equal(await second.stop(), 0);
  });
});

describe('a gRPC mock whose port is taken when mockd starts', () => {
  test('shows the same port in /handlers and /ports, and grpc-js prints nothing on stderr', async (t) => {
    const dataDir = tempDir(t);
    const port = await freePort();
    const first = await spawnMockd(t, ['--data-dir', dataDir]);
    const created = await adminClient(first.adminUrl).api('/mocks', {
      method: 'POST',
      body: { id: 'blocked', grpc: { port, protoFile: RELATIVE_PROTO, services: { 'helloworld.Greeter': { methods: { SayHello: { response: { message: 'hi' } } } } } } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(await first.stop(), 0);

    const squatter = createServer().listen(port, '127.0.0.1');
    await nextEvent(squatter, 'listening');
    t.after(() => squatter.close());

    const second = await spawnMockd(t, ['--data-dir', dataDir]);
    const admin = adminClient(second.adminUrl);
    const handler = (await admin.api('/handlers')).body.handlers.find((h: { id: string }) => h.id === 'blocked');
    assert.equal(handler.status, 'error');
    assert.equal(handler.port, port);
    const entry = (await admin.api('/ports')).body.ports.find((p: { mockId?: string }) => p.mockId === 'blocked');
    assert.deepEqual({ port: entry.port, status: entry.status }, { port, status: 'error' });
    await second.stop();
    assert.doesNotMatch(second.stderr(), /No address added/);
    assert.doesNotMatch(second.stderr(), /^E /m);
  });
});
