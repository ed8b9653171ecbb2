import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { CallHandle, type ServerCallLike } from '../../../src/protocols/grpc/call-handle.ts';

function fakeCall(): ServerCallLike {
  return Object.assign(new EventEmitter(), { metadata: new grpc.Metadata(), getPeer: () => 'ipv4:127.0.0.1:1', getDeadline: () => Infinity });
}

describe('CallHandle', () => {
  test('a wait ends false as soon as the call is ended, and true when it runs out on a live call', async () => {
    const statuses: unknown[] = [];
    const handle = new CallHandle(fakeCall(), (err) => statuses.push(err));
    const cut = handle.wait(60_000);
    handle.fail(grpc.status.UNAVAILABLE, 'bye');
    assert.equal(await cut, false);
    assert.deepEqual(statuses, [{ code: grpc.status.UNAVAILABLE, details: 'bye' }]);
    assert.equal(handle.fail(grpc.status.INTERNAL, 'again'), false, 'a call ends once');

    const live = new CallHandle(fakeCall(), () => undefined);
    assert.equal(await live.wait(5), true);
  });

  test('a client cancel ends pending waits, reports CANCELLED once and settles `gone` and the in-flight set', async () => {
    const call = fakeCall();
    const handle = new CallHandle(call, () => undefined);
    const inflight = new Set<CallHandle>();
    handle.keepIn(inflight);
    const ends: number[] = [];
    handle.onEnd = (_h, code) => ends.push(code);
    const waiting = handle.wait(60_000);
    call.emit('cancelled');
    call.emit('cancelled');
    assert.equal(await waiting, false);
    await handle.gone;
    assert.deepEqual(ends, [grpc.status.CANCELLED]);
    assert.equal(handle.endedByClient, true);
    assert.equal(inflight.size, 0);
    handle.keepIn(inflight);
    assert.equal(inflight.size, 0, 'a gone call is not kept');
  });
});
