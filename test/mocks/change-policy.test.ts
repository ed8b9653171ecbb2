// The policy decision of a mock change (src/mocks/change-policy.ts), as a table: what the old version's connections
// get, and why a policy falls back to close. The workers and the dry run both decide with this function.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grpcStreamKept, planChange } from '../../src/mocks/change-policy.ts';
import type { Mock } from '../../src/mocks/types.ts';

const base = { name: '', description: '', enabled: true, createdAt: '', updatedAt: '' };
const ws = (path: string, extra: Partial<Mock> = {}): Mock => ({ ...base, id: 'm', type: 'websocket', websocket: { path } as Mock['websocket'], ...extra });
const sse = (path: string, extra: Partial<Mock> = {}): Mock => ({ ...base, id: 'm', type: 'http', http: { matcher: { path }, sse: { events: [{ data: 1 }] } }, ...extra });
const plain = (path: string, extra: Partial<Mock> = {}): Mock => ({ ...base, id: 'm', type: 'http', http: { matcher: { path }, response: { statusCode: 200 } }, ...extra });
const mq = (port: number, extra: Partial<Mock> = {}): Mock => ({ ...base, id: 'm', type: 'mqtt', mqtt: { port }, ...extra });
const gr = (port: number, grpc: Partial<NonNullable<Mock['grpc']>> = {}, extra: Partial<Mock> = {}): Mock => ({
  ...base, id: 'm', type: 'grpc', grpc: { port, protoFile: 'a.proto', services: { 'p.S': { methods: { M: { response: {} } } } }, ...grpc }, ...extra,
});
const keep = { onChange: 'keep' as const };
const drain = { onChange: 'drain' as const, drainTimeoutMs: 10 };

const CASES: [string, Mock, Mock | undefined, number | undefined, string, RegExp?][] = [
  ['no policy closes', ws('/a'), ws('/a'), undefined, 'close'],
  ['keep keeps', ws('/a'), ws('/a', keep), undefined, 'keep'],
  ['the new version decides', ws('/a', keep), ws('/a'), undefined, 'close'],
  ['keep with a new WebSocket path closes', ws('/a'), ws('/b', keep), undefined, 'close', /path changed/],
  ['drain with a new WebSocket path drains', ws('/a'), ws('/b', drain), undefined, 'drain'],
  ['a delete uses the stored policy: drain', ws('/a', drain), undefined, undefined, 'drain'],
  ['a delete cannot keep', ws('/a', keep), undefined, undefined, 'close', /deleted/],
  ['a disable cannot keep', ws('/a', keep), ws('/a', { ...keep, enabled: false }), undefined, 'close', /disabled/],
  ['a type change uses the stored policy', ws('/a', drain), plain('/a', keep), undefined, 'drain'],
  ['keep of an SSE mock that stops serving SSE closes', sse('/e'), plain('/e', keep), undefined, 'close', /no longer serves SSE/],
  ['keep with a new SSE path closes', sse('/e'), sse('/f', keep), undefined, 'close', /SSE path changed/],
  ['keep on the same MQTT port keeps', mq(0), mq(0, keep), 1883, 'keep'],
  ['keep on a new MQTT port closes', mq(1883), mq(1884, keep), 1883, 'close', /port changed \(1883 to 1884\)/],
  ['drain of a deleted MQTT mock closes: its broker stops', mq(1883, drain), undefined, 1883, 'close', /broker stops/],
  ['keep with new gRPC protos closes', gr(50051), gr(50051, { protoFile: 'b.proto' }, keep), 50051, 'close', /protos or server options/],
  ['keep with new gRPC answers keeps', gr(50051), gr(50051, { services: { 'p.S': { methods: { M: { response: { x: 1 } } } } } }, keep), 50051, 'keep'],
];

for (const [name, old, next, port, action, fallback] of CASES) {
  test(`planChange: ${name}`, () => {
    const plan = planChange(old, next, port);
    assert.equal(plan.action, action);
    if (fallback) assert.match(plan.fallback ?? '', fallback);
    else assert.equal(plan.fallback, undefined);
  });
}

test('planChange: drainTimeoutMs defaults to 30 s', () => {
  assert.equal(planChange(ws('/a'), ws('/a', { onChange: 'drain' })).drainTimeoutMs, 30_000);
});

test('grpcStreamKept: a stream is kept only while the new version configures its method', () => {
  assert.equal(grpcStreamKept(gr(1), '/p.S/M'), true);
  assert.equal(grpcStreamKept(gr(1), '/p.S/Other'), false);
  assert.equal(grpcStreamKept(gr(1), '/q.T/M'), false);
});
