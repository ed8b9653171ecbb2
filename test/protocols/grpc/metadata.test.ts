import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { ServerCallLike } from '../../../src/protocols/grpc/call-handle.ts';
import { firstMetadataOf, metadataOf } from '../../../src/protocols/grpc/metadata.ts';

function fakeCall(metadata: Record<string, string | Buffer> = {}): ServerCallLike {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  return Object.assign(new EventEmitter(), { metadata: md, getPeer: () => 'ipv4:127.0.0.1:1', getDeadline: () => Infinity });
}

describe('metadataOf', () => {
  test('gives every value of each key, binary values as base64, converted once per call', () => {
    const call = fakeCall({ 'x-team': 'blue', 'trace-bin': Buffer.from([1, 2, 3]) });
    call.metadata.add('x-team', 'red');
    const all = metadataOf(call);
    assert.deepEqual(all, { 'x-team': ['blue', 'red'], 'trace-bin': ['AQID'] });
    assert.equal(metadataOf(call), all);
  });
});

describe('firstMetadataOf', () => {
  test('gives each key its first value, binary values as base64', () => {
    assert.deepEqual(firstMetadataOf(fakeCall({ 'x-team': 'blue', 'trace-bin': Buffer.from([1, 2, 3]) })), { 'x-team': 'blue', 'trace-bin': 'AQID' });
  });

  test('calls with equal metadata share one frozen object, and different metadata gets its own', () => {
    const a = firstMetadataOf(fakeCall({ 'user-agent': 'x' }));
    const b = firstMetadataOf(fakeCall({ 'user-agent': 'x' }));
    const c = firstMetadataOf(fakeCall({ 'user-agent': 'x', extra: '1' }));
    const d = firstMetadataOf(fakeCall({}));
    assert.equal(a, b);
    assert.ok(Object.isFrozen(a));
    assert.deepEqual(c, { 'user-agent': 'x', extra: '1' });
    assert.deepEqual(d, {});
    assert.deepEqual(a, { 'user-agent': 'x' }, 'an earlier result is never changed');
  });
});
