// Admin routes the Go mockd has and scripts written for it call (README "Coming from the Go mockd"): `GET /grpc`
// (the gRPC mocks), `GET /mqtt`, `GET /mqtt/status` and `GET /mqtt/{id}/status` (the MQTT brokers), `GET /status`,
// and the Go mockd's check of an optional JSON body on `DELETE /sse/connections/{id}`. Field names are the Go
// mockd's; every list is built from the store and the live connection stats, so it never disagrees with `/handlers`.

import type { H3 } from 'h3';
import { MockdError } from '../errors.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { buildInfo } from '../util/package-info.ts';
import { json, MAX_ADMIN_BODY, param } from './respond.ts';

interface BrokerStatus {
  id: string;
  name: string;
  port: number;
  running: boolean;
  recordingEnabled: false;
  clientCount: number;
  topicCount: number;
  tlsEnabled: false;
  authEnabled: boolean;
  enabled: boolean;
}

/** One entry per MQTT mock (each is one broker), oldest first. `topicCount` counts distinct subscribed filters. */
async function mqttBrokers(c: Coordinator): Promise<BrokerStatus[]> {
  const mocks = c.store.list({ type: 'mqtt' });
  const clients = mocks.length > 0 && c.hasProtocol('mqtt') ? await c.listConnections('mqtt') : [];
  return mocks.map((mock) => {
    const rt = c.registrations.runtimeOf(mock.id);
    const own = clients.filter((conn) => conn.mockId === mock.id) as (typeof clients[number] & { subscriptions?: string[] })[];
    const filters = new Set(own.flatMap((conn) => conn.subscriptions ?? []));
    return {
      id: mock.id,
      name: mock.name,
      port: rt?.port ?? mock.mqtt!.port,
      running: mock.enabled && rt?.status === 'running',
      recordingEnabled: false,
      clientCount: own.length,
      topicCount: filters.size,
      tlsEnabled: false,
      authEnabled: Boolean(mock.mqtt!.auth?.enabled),
      enabled: mock.enabled,
    };
  });
}

/** Reads the body only to refuse one that is not JSON, as the Go mockd does; an empty body is fine. */
async function refuseMalformedBody(request: Request): Promise<void> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_ADMIN_BODY) {
    throw new MockdError('body_too_large', `request body exceeds ${MAX_ADMIN_BODY} bytes`);
  }
  const text = await request.text();
  if (text.trim() === '') return;
  try {
    JSON.parse(text);
  } catch (err) {
    throw new MockdError('invalid_json', `request body is not valid JSON: ${(err as Error).message}`);
  }
}

export function registerCompatRoutes(app: H3, c: Coordinator): void {
  app.use('/sse/connections/*', (event) => refuseMalformedBody(event.req), { method: 'DELETE' });

  app.get('/grpc', () => {
    const mocks = c.store.list({ type: 'grpc' }).map((m) => c.view(m));
    return json(200, { mocks, total: mocks.length, count: mocks.length });
  });

  app.get('/mqtt', async () => {
    const brokers = await mqttBrokers(c);
    return json(200, { brokers, count: brokers.length });
  });

  app.get('/mqtt/status', async () => {
    const brokers = await mqttBrokers(c);
    return json(200, {
      running: brokers.some((b) => b.running),
      brokerCount: brokers.length,
      totalClients: brokers.reduce((n, b) => n + b.clientCount, 0),
      totalTopics: brokers.reduce((n, b) => n + b.topicCount, 0),
      brokers,
    });
  });

  app.get('/mqtt/:id/status', async (event) => {
    const id = param(event, 'id');
    const broker = (await mqttBrokers(c)).find((b) => b.id === id);
    if (!broker) throw new MockdError('not_found', `MQTT broker '${id}' not found`);
    return json(200, broker);
  });

  app.get('/status', async () => {
    const mocks = c.store.all();
    return json(200, {
      status: c.ready ? 'running' : 'initializing',
      httpPort: await c.mockPort(),
      adminPort: c.adminPort,
      uptime: Math.floor((Date.now() - c.startedAt) / 1000),
      mockCount: mocks.length,
      activeMocks: mocks.filter((m) => m.enabled).length,
      tlsEnabled: false,
      version: buildInfo().version,
    });
  });
}
