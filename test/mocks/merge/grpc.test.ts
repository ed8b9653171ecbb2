import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MockdError } from '../../../src/errors.ts';
import { mergeGrpcMock } from '../../../src/mocks/merge/grpc.ts';
import type { GrpcSpec, Mock } from '../../../src/mocks/types.ts';

function mock(id: string, grpc: GrpcSpec): Mock {
  return { id, type: 'grpc', name: id, description: '', enabled: true, createdAt: '2026-03-01T10:00:00.000Z', updatedAt: '2026-03-01T10:00:00.000Z', grpc };
}

const base = mock('grpc_target', {
  port: 50051,
  protoFile: 'a.proto',
  services: { 'pkg.A': { methods: { Get: { response: { v: 1 } } } } },
});

function assertConflict(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof MockdError);
    assert.equal(err.code, 'service_conflict');
    assert.match(err.message, message);
    return true;
  });
}

describe('mergeGrpcMock', () => {
  test('adds new services and methods, reporting them as pkg.Svc/M with the total method count', () => {
    const incoming = mock('grpc_new', {
      port: 50051,
      protoFile: 'b.proto',
      services: { 'pkg.A': { methods: { List: { response: { v: 2 } } } }, 'pkg.B': { methods: { Put: {} } } },
    });
    const { mock: merged, added, total } = mergeGrpcMock(base, incoming);
    assert.deepEqual(added, ['pkg.A/List', 'pkg.B/Put']);
    assert.equal(total, 3);
    assert.equal(merged.id, 'grpc_target');
    assert.deepEqual(Object.keys(merged.grpc!.services!['pkg.A']!.methods), ['Get', 'List']);
  });

  test('unions proto files', () => {
    const cases: { target: GrpcSpec; incoming: GrpcSpec; expected: Partial<GrpcSpec> }[] = [
      { target: { port: 1, protoFile: 'a.proto' }, incoming: { port: 1, protoFile: 'a.proto' }, expected: { protoFile: 'a.proto' } },
      { target: { port: 1, protoFile: 'a.proto' }, incoming: { port: 1, protoFile: 'b.proto' }, expected: { protoFiles: ['a.proto', 'b.proto'] } },
      { target: { port: 1, protoFiles: ['a.proto', 'b.proto'] }, incoming: { port: 1, protoFiles: ['b.proto', 'c.proto'] }, expected: { protoFiles: ['a.proto', 'b.proto', 'c.proto'] } },
    ];
    for (const c of cases) {
      const merged = mergeGrpcMock(mock('t', c.target), mock('i', c.incoming)).mock.grpc!;
      assert.equal(merged.protoFile, c.expected.protoFile);
      assert.deepEqual(merged.protoFiles, c.expected.protoFiles);
    }
  });

  test('unions import paths and keeps reflection on when either asks', () => {
    const merged = mergeGrpcMock(
      mock('t', { port: 1, protoFile: 'a.proto', importPaths: ['x'] }),
      mock('i', { port: 1, protoFile: 'a.proto', importPaths: ['x', 'y'], reflection: true }),
    ).mock.grpc!;
    assert.deepEqual(merged.importPaths, ['x', 'y']);
    assert.equal(merged.reflection, true);
  });

  test('accepts identical protoContent and rejects different protoContent with service_conflict', () => {
    const content = 'syntax = "proto3";';
    const same = mergeGrpcMock(mock('t', { port: 1, protoContent: content }), mock('i', { port: 1, protoContent: content }));
    assert.equal(same.mock.grpc!.protoContent, content);
    assertConflict(() => mergeGrpcMock(mock('t', { port: 1, protoContent: content }), mock('i', { port: 1, protoContent: `${content} ` })), /protoContent/);
    assertConflict(() => mergeGrpcMock(mock('t', { port: 1, protoContent: content }), mock('i', { port: 1, protoFile: 'a.proto' })), /protoContent/);
  });

  test('turns an existing method with a different match into a variant', () => {
    const incoming = mock('i', {
      port: 50051,
      protoFile: 'a.proto',
      services: { 'pkg.A': { methods: { Get: { match: { metadata: { 'x-tier': 'gold' } }, response: { v: 'gold' } } } } },
    });
    const { mock: merged, added, total } = mergeGrpcMock(base, incoming);
    assert.deepEqual(added, ['pkg.A/Get']);
    assert.equal(total, 1);
    assert.deepEqual(merged.grpc!.services!['pkg.A']!.methods.Get, {
      response: { v: 1 },
      variants: [{ match: { metadata: { 'x-tier': 'gold' } }, response: { v: 'gold' } }],
    });
  });

  test('rejects a second catch-all for an existing method with service_conflict', () => {
    const incoming = mock('i', { port: 50051, protoFile: 'a.proto', services: { 'pkg.A': { methods: { Get: { response: { v: 9 } } } } } });
    assertConflict(() => mergeGrpcMock(base, incoming), /pkg\.A\/Get already has a catch-all/);
  });

  test('rejects a config whose match equals an existing one with service_conflict', () => {
    const target = mock('t', {
      port: 1,
      protoFile: 'a.proto',
      services: { 'pkg.A': { methods: { Get: { response: { v: 1 }, variants: [{ match: { request: { id: 1 } }, response: { v: 2 } }] } } } },
    });
    const incoming = mock('i', { port: 1, protoFile: 'a.proto', services: { 'pkg.A': { methods: { Get: { match: { request: { id: 1 } }, response: { v: 3 } } } } } });
    assertConflict(() => mergeGrpcMock(target, incoming), /same match/);
  });

  test('leaves the target untouched when it throws', () => {
    const before = structuredClone(base);
    const incoming = mock('i', { port: 50051, protoFile: 'z.proto', services: { 'pkg.A': { methods: { Get: {} } } } });
    assert.throws(() => mergeGrpcMock(base, incoming));
    assert.deepEqual(base, before);
  });

  test('does not share objects with its inputs', () => {
    const incoming = mock('i', { port: 50051, protoFile: 'a.proto', services: { 'pkg.A': { methods: { List: { response: { v: 2 } } } } } });
    const { mock: merged } = mergeGrpcMock(base, incoming);
    merged.grpc!.services!['pkg.A']!.methods.List!.response = { v: 'changed' };
    assert.deepEqual(incoming.grpc!.services!['pkg.A']!.methods.List!.response, { v: 2 });
    assert.equal(base.grpc!.services!['pkg.A']!.methods.List, undefined);
  });
});
