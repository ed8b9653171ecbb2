import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { loadSync } from '@grpc/proto-loader';
import { grpc, grpcMock, readToEnd, startHost } from './helpers.ts';

// The reflection protos ship inside @grpc/reflection (build/src/index.js → build/proto/…).
const reflectionBuild = dirname(dirname(createRequire(import.meta.url).resolve('@grpc/reflection')));

function reflectionClient(t: TestContext, version: 'v1' | 'v1alpha', port: number): any {
  const file = join(reflectionBuild, 'proto', 'grpc', 'reflection', version, 'reflection.proto');
  const pkg = grpc.loadPackageDefinition(loadSync(file, { keepCase: true })) as any;
  const client = new pkg.grpc.reflection[version].ServerReflection(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  t.after(() => client.close());
  return client;
}

async function listServices(client: any): Promise<{ names: string[]; code: number }> {
  const call = client.ServerReflectionInfo();
  const outcome = readToEnd(call);
  call.write({ list_services: '' });
  call.end();
  const { messages, status } = await outcome;
  const names = messages.flatMap((m) => m.list_services_response?.service ?? []).map((s: { name: string }) => s.name);
  return { names, code: status.code };
}

const SPEC = {
  protoContent: 'syntax = "proto3"; package shop; service Cart { rpc Add (Item) returns (Item); } message Item { string sku = 1; }',
  services: { 'shop.Cart': { methods: { Add: { response: { sku: 'x' } } } } },
};

describe('gRPC reflection', () => {
  for (const version of ['v1', 'v1alpha'] as const) {
    test(`lists the mock's services over grpc.reflection.${version} when reflection is on`, async (t) => {
      const { host } = await startHost(t);
      const { port } = await host.apply(grpcMock({ ...SPEC, protoFile: undefined, reflection: true }));
      const { names, code } = await listServices(reflectionClient(t, version, port!));
      assert.equal(code, grpc.status.OK);
      assert.ok(names.includes('shop.Cart'), `listed ${names.join(', ')}`);
    });
  }

  test('is not served when reflection is off', async (t) => {
    const { host } = await startHost(t);
    const { port } = await host.apply(grpcMock({ ...SPEC, protoFile: undefined }));
    const { code } = await listServices(reflectionClient(t, 'v1', port!));
    assert.equal(code, grpc.status.UNIMPLEMENTED);
  });
});
