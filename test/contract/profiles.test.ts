// The protocol profile table (src/contract/profiles.ts): the facts every part reads, and how worker stats merge.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOLS } from '../../src/contract/protocols.ts';
import { MOCK_TYPE_PROFILES, PROTOCOL_PROFILES, protocolOfMock, sumStats, workerOfProtocol, workerTable } from '../../src/contract/profiles.ts';
import { MOCK_TYPES } from '../../src/mocks/types.ts';

describe('the profile table', () => {
  test('has one profile per protocol and per mock type, each naming itself', () => {
    assert.deepEqual(Object.keys(PROTOCOL_PROFILES).sort(), [...PROTOCOLS].sort());
    for (const p of PROTOCOLS) assert.equal(PROTOCOL_PROFILES[p].protocol, p);
    assert.deepEqual(Object.keys(MOCK_TYPE_PROFILES).sort(), [...MOCK_TYPES].sort());
  });

  test('gives every protocol its own routes', () => {
    const routes = PROTOCOLS.flatMap((p) => [PROTOCOL_PROFILES[p].routes.list, PROTOCOL_PROFILES[p].routes.stats]);
    assert.equal(new Set(routes).size, routes.length);
  });

  test('places each protocol in the worker of its mock type: SSE and WebSocket share the http worker', () => {
    assert.deepEqual(PROTOCOLS.map(workerOfProtocol), ['http', 'http', 'mqtt', 'grpc']);
    assert.deepEqual(workerTable(), [
      { name: 'http', mockTypes: ['http', 'websocket'], protocols: ['websocket', 'sse'] },
      { name: 'mqtt', mockTypes: ['mqtt'], protocols: ['mqtt'] },
      { name: 'grpc', mockTypes: ['grpc'], protocols: ['grpc'] },
    ]);
  });

  test('lists a mock\'s connections under the right protocol: an SSE mock is an http mock with sse', () => {
    assert.equal(protocolOfMock({ type: 'http', http: { sse: {} } }), 'sse');
    assert.equal(protocolOfMock({ type: 'http', http: {} }), undefined);
    assert.equal(protocolOfMock({ type: 'websocket' }), 'websocket');
    assert.equal(protocolOfMock({ type: 'grpc' }), 'grpc');
  });

  test('reads and sets the own port of MQTT and gRPC mocks only', () => {
    assert.equal(MOCK_TYPE_PROFILES.http.ownPort, undefined);
    const mock = { id: 'x', type: 'mqtt' as const, enabled: true, createdAt: '', updatedAt: '', mqtt: { port: 0, topics: [] } } as any;
    const moved = MOCK_TYPE_PROFILES.mqtt.ownPort!.withPort(mock, 1883);
    assert.equal(MOCK_TYPE_PROFILES.mqtt.ownPort!.read(moved), 1883);
    assert.equal(mock.mqtt.port, 0, 'the original is not changed');
  });
});

describe('merging the stats of several workers', () => {
  test('sums counts, ors flags and merges per-key maps', () => {
    const merged = sumStats([
      { connectionsByMock: { a: 1 }, totalConnections: 3, tlsEnabled: false, streamsByMethod: { m: 1 } } as any,
      { connectionsByMock: { a: 2, b: 1 }, totalConnections: 4, tlsEnabled: true, streamsByMethod: {} } as any,
    ]);
    assert.deepEqual(merged, { connectionsByMock: { a: 3, b: 1 }, totalConnections: 7, tlsEnabled: true, streamsByMethod: { m: 1 } });
  });

  test('returns a single worker\'s stats as they are', () => {
    const one = { connectionsByMock: {}, port: 1883 };
    assert.equal(PROTOCOL_PROFILES.mqtt.mergeStats([one]), one);
  });

  test('keeps the lowest running MQTT broker port, not a sum', () => {
    const merged = PROTOCOL_PROFILES.mqtt.mergeStats([
      { connectionsByMock: {}, port: 0 },
      { connectionsByMock: {}, port: 1884 },
      { connectionsByMock: {}, port: 1883 },
    ] as any) as any;
    assert.equal(merged.port, 1883);
  });
});
