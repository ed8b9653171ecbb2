import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMock } from '../../../src/mocks/schema/index.ts';

const valid = { port: 50051, protoFile: 'greeter.proto', services: { 'helloworld.Greeter': { methods: { SayHello: { response: { message: 'hi' } } } } } };

const accepted: { name: string; grpc: Record<string, unknown> }[] = [
  { name: 'a minimal spec with protoFile', grpc: { port: 0, protoFile: 'a.proto' } },
  { name: 'protoFiles', grpc: { port: 65535, protoFiles: ['a.proto', 'b.proto'] } },
  { name: 'protoContent with import paths and reflection', grpc: { port: 1, protoContent: 'syntax = "proto3";', importPaths: ['protos'], reflection: true } },
  { name: 'every MethodConfig field, nested variants and durations in both forms', grpc: { ...valid, services: { 'helloworld.Greeter': { methods: { SayHello: {
    responses: [{ message: 'a' }], delay: 250, streamDelay: '1s', error: { code: 'NOT_FOUND', message: 'x' },
    match: { metadata: { authorization: '*' }, request: { name: 'Ada', times: 2 } },
    variants: [{ delay: '2m', response: { message: 'v' }, variants: [{ streamDelay: '1h' }] }],
  } } } } } },
  { name: 'an unknown error code name (it maps to UNKNOWN)', grpc: { ...valid, services: { S: { methods: { M: { error: { code: 'TEAPOT' } } } } } } },
];

for (const c of accepted) {
  test(`grpc schema accepts ${c.name}`, () => {
    const mock = parseMock({ type: 'grpc', grpc: c.grpc });
    assert.equal(mock.type, 'grpc');
    assert.equal(mock.grpc!.port, c.grpc.port);
  });
}

const rejected: { name: string; grpc: unknown; field: string; reason?: RegExp }[] = [
  { name: 'a missing port', grpc: { protoFile: 'a.proto' }, field: 'grpc.port' },
  { name: 'a port above 65535', grpc: { port: 65536, protoFile: 'a.proto' }, field: 'grpc.port' },
  { name: 'a negative port', grpc: { port: -1, protoFile: 'a.proto' }, field: 'grpc.port' },
  { name: 'a fractional port', grpc: { port: 1.5, protoFile: 'a.proto' }, field: 'grpc.port' },
  { name: 'no proto source', grpc: { port: 1 }, field: 'grpc.protoFile', reason: /exactly one of protoFile, protoFiles, protoContent/ },
  { name: 'two proto sources', grpc: { port: 1, protoFile: 'a.proto', protoContent: 'x' }, field: 'grpc.protoContent', reason: /not allowed together with protoFile/ },
  { name: 'an empty protoFiles list', grpc: { port: 1, protoFiles: [] }, field: 'grpc.protoFiles' },
  { name: 'a non-boolean reflection', grpc: { port: 1, protoFile: 'a.proto', reflection: 'yes' }, field: 'grpc.reflection' },
  { name: 'a bad duration', grpc: { ...valid, services: { S: { methods: { M: { delay: '5 seconds' } } } } }, field: 'grpc.services.S.methods.M.delay', reason: /duration/ },
  { name: 'a bad duration in a nested variant', grpc: { ...valid, services: { S: { methods: { M: { variants: [{ streamDelay: 'soon' }] } } } } }, field: 'grpc.services.S.methods.M.variants[0].streamDelay' },
  { name: 'a response that is not an object', grpc: { ...valid, services: { S: { methods: { M: { response: 'hi' } } } } }, field: 'grpc.services.S.methods.M.response' },
  { name: 'an error without a code', grpc: { ...valid, services: { S: { methods: { M: { error: { message: 'x' } } } } } }, field: 'grpc.services.S.methods.M.error.code' },
  { name: 'non-string metadata match values', grpc: { ...valid, services: { S: { methods: { M: { match: { metadata: { k: 1 } } } } } } }, field: 'grpc.services.S.methods.M.match.metadata.k' },
  { name: 'a service without methods', grpc: { ...valid, services: { S: {} } }, field: 'grpc.services.S.methods' },
];

for (const c of rejected) {
  test(`grpc schema rejects ${c.name} on ${c.field}`, () => {
    assert.throws(() => parseMock({ type: 'grpc', grpc: c.grpc }), (err: any) => {
      assert.equal(err.code, 'validation_error');
      assert.equal(err.field, c.field);
      if (c.reason) assert.match(err.message, c.reason);
      return true;
    });
  });
}
