// Graceful shutdown (contract §1): SIGTERM gives every live client its protocol's goodbye, then exit 0 within 5 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once, type EventEmitter } from 'node:events';
import { join } from 'node:path';
import WebSocket from 'ws';
import mqtt from 'mqtt';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ROOT, adminClient, spawnMockd } from '../helpers/mockd.ts';
import { fetchWithTimeout, readToEnd } from '../helpers/wait.ts';

const PROTO = join(ROOT, 'test/fixtures/grpc/helloworld.proto');
const Greeter = (grpc.loadPackageDefinition(loadSync(PROTO)) as any).helloworld.Greeter;

test('SIGTERM sends WS 1001, ends SSE streams, disconnects MQTT, gives gRPC UNAVAILABLE, and exits 0', async (t) => {
  const m = await spawnMockd(t, ['--no-persist']);
  const admin = adminClient(m.adminUrl);
  await admin.createMock({ websocket: { path: '/ws' } });
  await admin.createMock({ http: { matcher: { path: '/sse' }, sse: { generator: { type: 'sequence', count: 0 }, timing: { fixedDelay: 200 } } } });
  const mq = await admin.createMock({ mqtt: { port: 0, topics: [{ topic: 't' }] } });
  const gr = await admin.createMock({
    grpc: { port: 0, protoFile: PROTO, services: { 'helloworld.Greeter': { methods: { StreamHellos: { responses: [{ message: 'a' }, { message: 'b' }], streamDelay: '30s' } } } } },
  });

  const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/ws`);
  t.after(() => ws.terminate());
  await once(ws, 'open', { signal: AbortSignal.timeout(5000) });
  const wsClosed = once(ws, 'close', { signal: AbortSignal.timeout(10_000) });

  const sse = await fetchWithTimeout(`${m.mockUrl}/sse`);
  const reader = sse.body!.getReader();
  await reader.read();
  const sseEnded = readToEnd(reader, 'the SSE stream ending after SIGTERM', 10_000).then(() => 'ended');
  sseEnded.catch(() => undefined);

  const client = mqtt.connect(`mqtt://127.0.0.1:${mq.mqtt.port}`, { reconnectPeriod: 0, protocolVersion: 4 });
  t.after(() => client.endAsync(true));
  await once(client as unknown as EventEmitter, 'connect', { signal: AbortSignal.timeout(5000) });
  const mqttClosed = once(client as unknown as EventEmitter, 'close', { signal: AbortSignal.timeout(10_000) });

  const gclient = new Greeter(`127.0.0.1:${gr.grpc.port}`, grpc.credentials.createInsecure());
  t.after(() => gclient.close());
  const call = gclient.StreamHellos({ name: 'x' });
  await once(call, 'data', { signal: AbortSignal.timeout(5000) });
  const grpcEnded = once(call, 'error', { signal: AbortSignal.timeout(10_000) });

  const t0 = performance.now();
  // Bounded a little past the 5 s promised, so a hang fails here and a slow exit fails on the time below.
  const code = await m.stop('SIGTERM', 6000);
  const tookMs = performance.now() - t0;
  assert.equal(code, 0, m.stderr());
  assert.ok(tookMs < 5000, `exited in ${tookMs.toFixed(0)} ms`);

  const [wsCode, wsReason] = await wsClosed;
  assert.equal(wsCode, 1001);
  assert.equal(String(wsReason), 'server shutting down');
  assert.equal(await sseEnded, 'ended');
  await mqttClosed;
  const [err] = (await grpcEnded) as [grpc.ServiceError];
  assert.equal(err.code, grpc.status.UNAVAILABLE);
  assert.equal(err.details, 'server shutting down');
});
