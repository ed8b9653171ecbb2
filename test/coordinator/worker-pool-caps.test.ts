// Caps with worker pools (README "Workers"): `--max-connections`, `--max-sse-streams` and a mock's maxConnections hold
// for a pool as a whole, so a cap of 4 is 4 across both members, not 4 each. Under a runtime that cannot share a port
// (one worker per protocol) the same caps hold trivially and the tests pass unchanged.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../helpers/mockd.ts';
import { connect as connectWs, refusedUpgrade, wsMock, wsUrl } from '../protocols/websocket/helpers.ts';
import { sseMock, ticking } from '../protocols/sse/helpers.ts';
import { grpc, statusOf } from '../protocols/grpc/helpers.ts';
import { CLIENTS, getFresh, grpcMock, openChat, openSse, ownConnectionClient } from './pool-helpers.ts';

describe('caps hold for the pool as a whole with --workers 2', () => {
  test('--max-connections 4 admits 4 WebSocket clients across both members, and --max-sse-streams 3 three streams', async (t) => {
    const m = await startMockd(t, { workers: 2, maxConnections: 4, maxSseStreams: 3 });
    await m.createMock(wsMock('ws', { path: '/ws', echoMode: true }));
    await m.createMock(sseMock('ticks', ticking(50)));
    // If each member had its own cap of 4, these 12 attempts (spread by the kernel) would admit up to 8.
    let admitted = 0;
    let refused = 0;
    for (let i = 0; i < CLIENTS; i++) {
      if (admitted < 4) {
        await connectWs(t, wsUrl(m.mockUrl, '/ws'));
        admitted++;
      } else {
        const r = await refusedUpgrade(wsUrl(m.mockUrl, '/ws'));
        assert.equal(r.status, 503);
        assert.equal(r.body.error, 'too_many_connections');
        refused++;
      }
    }
    assert.equal((await m.api('/websocket/connections')).body.connections.length, 4);
    t.diagnostic(`admitted ${admitted}, refused ${refused}`);

    for (let i = 0; i < 3; i++) await openSse(t, `${m.mockUrl}/ticks`);
    for (let i = 0; i < 6; i++) assert.equal((await getFresh(`${m.mockUrl}/ticks`)).status, 503);
    assert.equal((await m.api('/sse/connections')).body.connections.length, 3);
  });

  test("a gRPC mock's maxConnections of 3 admits 3 streams across both members", async (t) => {
    const m = await startMockd(t, { workers: 2 });
    const port = await grpcMock(m, 'capped', { maxConnections: 3 });
    for (let i = 0; i < 3; i++) await openChat(t, ownConnectionClient(t, port));
    for (let i = 0; i < 6; i++) {
      const call = ownConnectionClient(t, port).Chat();
      t.after(() => call.cancel());
      assert.equal((await statusOf(call)).code, grpc.status.RESOURCE_EXHAUSTED);
    }
    const streams = (await m.api('/grpc/connections')).body.streams;
    assert.equal(streams.length, 3);
  });
});
