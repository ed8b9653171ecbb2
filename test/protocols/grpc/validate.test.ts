import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GrpcSpec } from '../../../src/mocks/types.ts';
import { validateGrpcSpec } from '../../../src/protocols/grpc/validate.ts';
import { FIXTURES, HELLO_PROTO } from './helpers.ts';

// Each accepted spec also has its protos read for real: the same spec naming a service that is not there is refused,
// and the refusal lists the services that were loaded from it (so a validator that checked nothing would fail here).
const ok: { name: string; spec: GrpcSpec; services: string }[] = [
  { name: 'a listed service and method from a file', spec: { port: 0, protoFile: HELLO_PROTO, services: { 'helloworld.Greeter': { methods: { SayHello: {} } } } }, services: 'helloworld.Greeter' },
  { name: 'a file relative to the base dir', spec: { port: 0, protoFile: 'test/fixtures/grpc/helloworld.proto' }, services: 'helloworld.Greeter' },
  { name: 'several files, one importing its sibling and a well-known type', spec: { port: 0, protoFiles: [HELLO_PROTO, `${FIXTURES}echo.proto`], services: { 'echo.v1.Echo': { methods: { Ping: {} } } } }, services: 'helloworld.Greeter, echo.v1.Echo' },
  { name: 'inline content importing a file from importPaths', spec: { port: 0, protoContent: 'syntax = "proto3"; package p; import "echo-types.proto"; service S { rpc M (echo.v1.EchoMessage) returns (echo.v1.EchoMessage); }', importPaths: [FIXTURES], services: { 'p.S': { methods: { M: {} } } } }, services: 'p.S' },
];

for (const c of ok) {
  test(`validateGrpcSpec accepts ${c.name}`, async () => {
    await assert.doesNotReject(validateGrpcSpec(c.spec, process.cwd()));
    const probe = { ...c.spec, services: { 'probe.Missing': { methods: {} } } };
    await assert.rejects(validateGrpcSpec(probe, process.cwd()), {
      code: 'validation_error',
      field: 'grpc.services.probe.Missing',
      message: `validation error on grpc.services.probe.Missing: service not found in the protos (services: ${c.services})`,
    });
  });
}

const bad: { name: string; spec: GrpcSpec; field: string; message: RegExp }[] = [
  { name: 'a service not in the protos', spec: { port: 0, protoFile: HELLO_PROTO, services: { 'helloworld.Nope': { methods: { SayHello: {} } } } }, field: 'grpc.services.helloworld.Nope', message: /service not found/ },
  { name: 'a method not in the service', spec: { port: 0, protoFile: HELLO_PROTO, services: { 'helloworld.Greeter': { methods: { Shout: {} } } } }, field: 'grpc.services.helloworld.Greeter.methods.Shout', message: /method not found/ },
  { name: 'a missing proto file', spec: { port: 0, protoFile: 'nope/missing.proto' }, field: 'grpc.protoFile', message: /cannot read proto file/ },
  { name: 'a missing file among protoFiles', spec: { port: 0, protoFiles: [HELLO_PROTO, 'missing.proto'] }, field: 'grpc.protoFiles[1]', message: /cannot read proto file/ },
  { name: 'inline content that does not parse', spec: { port: 0, protoContent: 'syntax = "proto3"; mesage X {}' }, field: 'grpc.protoContent', message: /does not parse: .*protoContent, line 1/ },
  { name: 'inline content with an unresolvable type', spec: { port: 0, protoContent: 'syntax = "proto3"; service S { rpc M (Missing) returns (Missing); }' }, field: 'grpc.protoContent', message: /does not parse/ },
];

for (const c of bad) {
  test(`validateGrpcSpec rejects ${c.name} with validation_error on ${c.field}`, async () => {
    await assert.rejects(validateGrpcSpec(c.spec, process.cwd()), (err: any) => {
      assert.equal(err.code, 'validation_error');
      assert.equal(err.field, c.field);
      assert.match(err.message, new RegExp(`^validation error on ${c.field.replace(/[.[\]]/g, '\\$&')}: `));
      assert.match(err.message, c.message);
      return true;
    });
  });
}
