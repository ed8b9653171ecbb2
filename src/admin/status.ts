// Health, readiness, ports and handlers (contract §1 and §8.4).

import type { H3 } from 'h3';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { isSseMock } from '../mocks/types.ts';
import type { Protocol } from '../protocols/connections.ts';
import { json } from './respond.ts';

export function registerStatusRoutes(app: H3, c: Coordinator): void {
  app.get('/health', () =>
    json(200, {
      status: 'ok',
      uptime: Math.floor((Date.now() - c.startedAt) / 1000),
      timestamp: new Date().toISOString(),
      workers: Object.fromEntries([...c.workers].map(([name, w]) => [name, { state: w.state, restarts: w.restarts }])),
    }),
  );

  app.get('/ready', () => (c.ready ? json(200, { status: 'ready' }) : json(503, { status: 'initializing' })));

  app.get('/ports', async () => {
    const listeners = await c.listeners();
    const ports: Record<string, unknown>[] = listeners.map((l) => ({ ...l }));
    ports.push({ port: c.adminPort, protocol: 'http', component: 'admin-api', status: 'listening' });
    for (const mock of c.store.all()) {
      const rt = c.runtimes.get(mock.id);
      if (mock.enabled && rt?.status === 'error' && (mock.type === 'mqtt' || mock.type === 'grpc')) {
        const port = mock.type === 'mqtt' ? mock.mqtt!.port : mock.grpc!.port;
        ports.push({ port, protocol: mock.type, component: mock.type === 'mqtt' ? 'mqtt-broker' : 'grpc-server', mockId: mock.id, status: 'error' });
      }
    }
    ports.sort((a, b) => (a.port as number) - (b.port as number));
    return json(200, { ports });
  });

  app.get('/handlers', async () => {
    const counts: Partial<Record<Protocol, Record<string, number>>> = {};
    await Promise.all(
      (['websocket', 'sse', 'mqtt', 'grpc'] as const)
        .filter((p) => c.hasProtocol(p))
        .map(async (p) => {
          counts[p] = (await c.connectionStats(p)).connectionsByMock;
        }),
    );
    const handlers = [];
    for (const mock of c.store.all()) {
      if (!mock.enabled) continue;
      const kind: Protocol | undefined = mock.type === 'http' ? (isSseMock(mock) ? 'sse' : undefined) : mock.type;
      if (!kind) continue;
      const rt = c.runtimes.get(mock.id);
      const path = kind === 'websocket' ? mock.websocket!.path : kind === 'sse' ? (mock.http!.matcher.path ?? mock.http!.matcher.pathPattern ?? '') : '';
      const entry: Record<string, unknown> = {
        id: mock.id,
        type: kind,
        // A mock that could not bind has no runtime port; like /ports, show the port it asked for.
        port: rt?.port ?? (kind === 'mqtt' ? mock.mqtt!.port : kind === 'grpc' ? mock.grpc!.port : 0),
        path,
        status: rt?.status === 'running' ? 'running' : 'error',
        connections: counts[kind]?.[mock.id] ?? 0,
        version: c.versions.get(mock.id) ?? 0,
      };
      if (rt?.error) entry.error = rt.error;
      handlers.push(entry);
    }
    return json(200, { handlers, total: handlers.length });
  });
}
