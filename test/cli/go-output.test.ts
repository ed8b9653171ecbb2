// The Go mockd's connection commands and output that scripts grep for (issue 24): bare `connections`, title lines,
// labels and column order.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once, type EventEmitter } from 'node:events';
import WebSocket from 'ws';
import mqtt from 'mqtt';
import { eventually, runCli, startMockd } from '../helpers/mockd.ts';

describe("the Go mockd's connection commands and output", () => {
  test('stats and get keep the Go title lines and labels; the Go columns keep their order in tables', async (t) => {
    const m = await startMockd(t);
    const admin = ['--admin-url', m.adminUrl];
    await m.createMock({ id: 'chat', websocket: { path: '/ws/chat' } });
    const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/ws/chat`);
    t.after(() => ws.terminate());
    await once(ws, 'open', { signal: AbortSignal.timeout(5000) });
    const id = (await eventually(() => m.api('/websocket/connections'), (r) => r.body.connections.length === 1)).body.connections[0].id;

    const titles: [string[], string][] = [
      [['websocket', 'stats'], 'WebSocket Statistics'], [['sse', 'stats'], 'SSE Statistics'],
      [['mqtt', 'stats'], 'MQTT Broker Statistics'], [['grpc', 'stats'], 'gRPC Statistics'],
      [['ws', 'connections', 'get', id], `WebSocket Connection: ${id}`],
    ];
    const outputs: string[] = [];
    for (const [args, title] of titles) {
      const r = await runCli([...args, ...admin]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.split('\n')[0], title);
      outputs.push(r.stdout);
    }
    assert.match(outputs[2]!, /^TLS Enabled: false$/m);
    assert.match(outputs[2]!, /^Auth Enabled: false$/m);
    assert.match(outputs[0]!, /^Active Connections: 1$/m);
    assert.match(outputs[4]!, /^Mock ID: chat$/m);

    // The Go mockd's header rows, in its order; mockd's extra columns come after them, except where contract §10
    // fixes another place (MOCK ID is second in the MQTT table and fourth in the gRPC table), so the check is that
    // the Go columns appear in the Go order, and for WebSocket and SSE that they are the whole row.
    const goHeaders: Record<string, string[]> = {
      ws: ['ID', 'PATH', 'MOCK ID', 'CONNECTED', 'MSG SENT', 'MSG RECV', 'STATUS'],
      sse: ['ID', 'PATH', 'MOCK ID', 'CLIENT IP', 'CONNECTED', 'EVENTS', 'STATUS'],
      mqtt: ['ID', 'REMOTE ADDR', 'USERNAME', 'SUBSCRIPTIONS', 'CONNECTED', 'STATUS'],
    };
    await m.createMock({ id: 'ticks', http: { matcher: { path: '/ticks' }, sse: { events: [{ data: 'a' }, { data: 'b', delay: 60_000 }] } } });
    const stream = await fetch(`${m.mockUrl}/ticks`, { signal: AbortSignal.timeout(30_000) });
    t.after(() => stream.body?.cancel().catch(() => undefined));
    const broker = await m.createMock({ id: 'broker', mqtt: { port: 0, topics: [{ topic: 'a/b' }] } });
    const client = mqtt.connect(`mqtt://127.0.0.1:${broker.mqtt.port}`, { clientId: 'sensor-1', reconnectPeriod: 0 });
    t.after(() => client.endAsync(true));
    await once(client as unknown as EventEmitter, 'connect', { signal: AbortSignal.timeout(5000) });
    await eventually(() => m.api('/sse/connections'), (r) => r.body.connections.length === 1);
    await eventually(() => m.api('/mqtt-connections'), (r) => r.body.connections.length === 1);
    for (const [group, goColumns] of Object.entries(goHeaders)) {
      const r = await runCli([group, 'connections', ...admin]);
      const columns = r.stdout.split('\n')[0]!.split(/\s{2,}/);
      const positions = goColumns.map((c) => columns.indexOf(c));
      assert.ok(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)), `${group}: ${columns.join(' | ')}`);
      if (group !== 'mqtt') assert.deepEqual(columns, goColumns);
    }
  });
});
