// The mock editor's pure logic: paths into the draft (the admin API's `field` form), copies that do not collide
// with their original, a mock drafted from an unmatched request, and the proto scan behind the gRPC suggestions.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { draftFromRequest, duplicateDraft, getIn, isErrorAt, kindOf, parsePath, setIn, toApiField } from '../../dashboard/src/editor/draft.ts';
import { scanProto } from '../../dashboard/src/editor/proto-scan.ts';
import type { Mock } from '../../dashboard/src/types.ts';

describe('paths', () => {
  const cases: [string, (string | number)[], string][] = [
    ['http.response.statusCode', ['http', 'response', 'statusCode'], 'http.response.statusCode'],
    ['mqtt.topics[0].messages[2].payload', ['mqtt', 'topics', 0, 'messages', 2, 'payload'], 'mqtt.topics[0].messages[2].payload'],
    ['grpc.services["helloworld.Greeter"].methods.SayHello', ['grpc', 'services', 'helloworld.Greeter', 'methods', 'SayHello'], 'grpc.services.helloworld.Greeter.methods.SayHello'],
  ];
  for (const [path, keys, field] of cases) {
    test(`${path} has keys ${JSON.stringify(keys)} and API field ${field}`, () => {
      assert.deepEqual(parsePath(path), keys);
      assert.equal(toApiField(path), field);
    });
  }

  test('setIn copies along the path, creates arrays for indexes and removes a key set to undefined', () => {
    const draft = { http: { response: { statusCode: 200, body: 'x' } } };
    const next = setIn(draft, 'http.response.body', undefined);
    assert.deepEqual(next, { http: { response: { statusCode: 200 } } });
    assert.equal(draft.http.response.body, 'x', 'the original is untouched');
    assert.deepEqual(setIn({}, 'mqtt.topics[0].qos', 1), { mqtt: { topics: [{ qos: 1 }] } });
    const reply = { mqtt: { topics: [{ topic: 'a', onPublish: { response: { payload: 'x' } } }] } };
    assert.deepEqual(setIn(reply, 'mqtt.topics[0].onPublish.response.payload', undefined), { mqtt: { topics: [{ topic: 'a' }] } }, 'emptied blocks go');
    assert.deepEqual(setIn({}, 'grpc.services["a.B"].methods.M', { response: {} }), { grpc: { services: { 'a.B': { methods: { M: { response: {} } } } } } });
  });

  const errorCases: [string | undefined, string, boolean][] = [
    ['http.response.statusCode', 'http.response.statusCode', true],
    ['mqtt.topics[0].qos', 'mqtt.topics', true],
    ['http.response.statusCodeX', 'http.response.statusCode', false],
    [undefined, 'name', false],
  ];
  for (const [field, path, expected] of errorCases) {
    test(`an error at ${field} ${expected ? 'is' : 'is not'} shown at ${path}`, () => assert.equal(isErrorAt(field, path), expected));
  }
});

describe('kinds and copies', () => {
  test('an http mock with sse is an SSE mock; the kind is inferred from the spec key without a type', () => {
    assert.equal(kindOf({ type: 'http', http: { sse: { events: [] } } }), 'sse');
    assert.equal(kindOf({ mqtt: { port: 0 } }), 'mqtt');
  });

  const at = '2026-03-01T10:00:00.000Z';
  const cases: [string, Mock & Record<string, unknown>, Record<string, unknown>][] = [
    ['a WebSocket copy gets its own path', { id: 'w', type: 'websocket', name: 'chat', enabled: true, websocket: { path: '/ws' }, createdAt: at }, { name: 'chat (copy)', websocket: { path: '/ws-copy' } }],
    ['an MQTT copy gets port 0, not a merge', { id: 'm', type: 'mqtt', name: '', enabled: true, mqtt: { port: 1883 } }, { name: 'copy of m', mqtt: { port: 0 } }],
    ['a gRPC copy gets port 0', { id: 'g', type: 'grpc', name: 'g', enabled: false, grpc: { port: 50051 } }, { name: 'g (copy)', grpc: { port: 0 } }],
  ];
  for (const [name, mock, expected] of cases) {
    test(name, () => {
      const copy = duplicateDraft(mock);
      assert.equal(copy.id, undefined);
      assert.equal(copy.createdAt, undefined);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(copy[k], v);
    });
  }

  test('a mock drafted from an unmatched request matches its method, path and query', () => {
    const draft = draftFromRequest({ id: 'req-1', timestamp: at, protocol: 'http', matched: false, http: { method: 'POST', path: '/x', query: { a: '1' }, headers: {}, body: '', statusCode: 404, durationMs: 1 } });
    assert.deepEqual(getIn(draft, 'http.matcher'), { method: 'POST', path: '/x', queryParams: { a: '1' } });
    assert.equal(getIn(draft, 'http.response.statusCode'), 200);
  });
});

describe('scanProto', () => {
  test('lists package-qualified services and their rpc names', () => {
    const proto = 'syntax = "proto3";\npackage shop.v1;\nservice Cart {\n  rpc Add (A) returns (B);\n  rpc List(A) returns (stream B);\n}\nservice Pay {\n  rpc Charge(C) returns (D);\n}\n';
    assert.deepEqual(scanProto(proto), { services: ['shop.v1.Cart', 'shop.v1.Pay'], methods: { 'shop.v1.Cart': ['Add', 'List'], 'shop.v1.Pay': ['Charge'] } });
  });
});
