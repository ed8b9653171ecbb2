// onChange with worker pools (README "Mock changes", "Workers"): a mock change reaches every member, and each member
// treats its own clients by the policy; the dry run and the `change.decided` decision name the clients of all members.
// On a runtime that cannot share a port, each pool has one member and the same tests pass (the skip says so).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../helpers/mockd.ts';
import { wsMock } from '../protocols/websocket/helpers.ts';
import { nextMessage, statusOf } from '../protocols/grpc/helpers.ts';
import { assertBothMembers, CLIENTS, grpcMock, openChat, ownConnectionClient, wsClients } from './pool-helpers.ts';

const N = CLIENTS;

describe('with --workers 2, a mock change', () => {
  test('keep: the WebSocket clients of both members stay and are answered by the new version', async (t) => {
    const m = await startMockd(t, { workers: 2 });
    await m.createMock(wsMock('feed', { path: '/feed', defaultResponse: { type: 'text', value: 'a' } }, { onChange: 'keep' }));
    const clients = await wsClients(t, m, '/feed', N);
    const records = (await m.api('/mocks/feed/websocket/connections')).body.connections;
    assert.equal(records.length, N);
    assertBothMembers(t, records, 'http');

    const dry = await m.api('/mocks/feed?dryRun=true', { method: 'PATCH', body: { websocket: { defaultResponse: { type: 'text', value: 'b' } } } });
    assert.deepEqual([...dry.body.connections.websocket.keep].sort(), records.map((r: any) => r.id).sort());
    const real = await m.api('/mocks/feed', { method: 'PATCH', body: { websocket: { defaultResponse: { type: 'text', value: 'b' } } } });
    assert.equal(real.status, 200);
    for (const c of clients) {
      c.ws.send('q');
      assert.equal(String((await c.next()).data), 'b');
    }
    assert.equal((await m.api('/mocks/feed/websocket/connections')).body.count, N, 'nobody was disconnected');
  });

  test('drain: gRPC streams of both members keep the old answers until the timeout, then end UNAVAILABLE', async (t) => {
    const m = await startMockd(t, { workers: 2 });
    const spec = (message: string) => ({ 'helloworld.Greeter': { methods: { Chat: { responses: [{ message }] } } } });
    const port = await grpcMock(m, 'chat', { services: spec('pong') });
    await m.api('/mocks/chat', { method: 'PATCH', body: { onChange: 'drain', drainTimeoutMs: 1000 } });
    const calls = await Promise.all(Array.from({ length: N }, () => openChat(t, ownConnectionClient(t, port))));
    const streams = (await m.api('/mocks/chat/grpc/connections')).body.streams;
    assert.equal(streams.length, N);
    assertBothMembers(t, streams, 'grpc');

    const dry = await m.api('/mocks/chat?dryRun=true', { method: 'PATCH', body: { grpc: { services: spec('b') } } });
    assert.deepEqual([...dry.body.connections.grpc.drain].sort(), streams.map((s: any) => s.id).sort());
    await m.api('/mocks/chat', { method: 'PATCH', body: { grpc: { services: spec('b') } } });
    const ended = calls.map((call) => statusOf(call));
    const fresh = ownConnectionClient(t, port).Chat();
    fresh.on('error', () => undefined);
    t.after(() => fresh.cancel());
    fresh.write({ name: 'q' });
    assert.equal((await nextMessage(fresh)).message, 'b');
    for (const call of calls) {
      const reply = nextMessage(call);
      call.write({ name: 'q' });
      assert.equal((await reply).message, 'pong', `drained stream #${calls.indexOf(call)} answers with the old version`);
    }
    for (const status of await Promise.all(ended)) assert.equal(status.code, 14, 'UNAVAILABLE after the drain timeout');
    assert.equal((await m.api('/mocks/chat/grpc/connections')).body.count, 1, 'only the new stream is left');
  });
});
