// Caps with worker pools (README "Workers"): `--max-connections`, `--max-sse-streams` and a mock's maxConnections hold
// for a pool as a whole, so a cap of 4 is 4 across both members, not 4 each. Under a runtime that cannot share a port
// (one worker per protocol) the same caps hold trivially and the tests pass unchanged.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { startMockd } from '../helpers/mockd.ts';
import { connect as connectWs, refusedUpgrade, wsMock, wsUrl } from '../protocols/websocket/helpers.ts';
import { sseMock, ticking } from '../protocols/sse/helpers.ts';
import { grpc, statusOf } from '../protocols/grpc/helpers.ts';
import { CLIENTS, getFresh, grpcMock, openChat, openSse, ownConnectionClient, RUNTIME_SHARES_PORT } from './pool-helpers.ts';

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

  // Clients one after another, each right after the previous handshake: a cap that counted only after the handshake let a
  // fourth through on the other member while the third's member had not counted it yet (seen under load).
  test("a WebSocket mock's maxConnections of 3 admits 3 clients across both members", async (t) => {
    const m = await startMockd(t, { workers: 2 });
    await m.createMock(wsMock('capped', { path: '/capped', echoMode: true, maxConnections: 3 }));
    for (let i = 0; i < 3; i++) await connectWs(t, wsUrl(m.mockUrl, '/capped'));
    for (let i = 0; i < 8; i++) assert.equal((await refusedUpgrade(wsUrl(m.mockUrl, '/capped'))).status, 503);
    assert.equal((await m.api('/mocks/capped/websocket/connections')).body.connections.length, 3);
  });

  test('--max-connections 2 counts MQTT clients across brokers that live on different mqtt members', async (t) => {
    const m = await startMockd(t, { workers: 2, maxConnections: 2 });
    const a = await m.createMock({ id: 'mq-a', mqtt: { port: 0 } });
    const b = await m.createMock({ id: 'mq-b', mqtt: { port: 0 } });
    const connectTo = async (port: number) => {
      const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 5000 });
      t.after(() => c.endAsync(true));
      return new Promise<{ code?: number }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no CONNACK within 5 s')), 5000);
        c.once('connect', () => (clearTimeout(timer), resolve({})));
        c.once('error', (err: Error & { code?: number }) => (clearTimeout(timer), resolve({ code: err.code })));
      });
    };
    await connectTo(a.mqtt.port);
    await connectTo(a.mqtt.port);
    const refused = await connectTo(b.mqtt.port);
    // CONNACK 3 "server unavailable" (MQTT 3.1.1 §3.2.2.3): the third client is refused by the other broker.
    assert.equal(refused.code, 3);
    const clients = (await m.api('/mqtt-connections')).body.connections as { mockId: string; worker?: string }[];
    assert.equal(clients.length, 2);
    const pool = m.coordinator.pool('mqtt');
    const holderOf = (id: string) => pool.members.findIndex((w) => pool.serves(id, w));
    if (RUNTIME_SHARES_PORT) assert.notEqual(holderOf('mq-a'), holderOf('mq-b'), 'the two brokers live on different members');
    else t.diagnostic(`Node ${process.versions.node}: one mqtt worker holds both brokers`);
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
