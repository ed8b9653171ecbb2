// Health, readiness, ports and handlers (contract §1 and §8.4), as the coordinator reports them.

import type { H3 } from 'h3';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { json } from './respond.ts';

export function registerStatusRoutes(app: H3, c: Coordinator): void {
  app.get('/health', () =>
    json(200, {
      status: 'ok',
      uptime: Math.floor((Date.now() - c.startedAt) / 1000),
      timestamp: new Date().toISOString(),
      workers: c.health(),
      ...(c.cluster ? { cluster: c.cluster.health() } : {}),
    }),
  );

  app.get('/ready', () => (c.ready ? json(200, { status: 'ready' }) : json(503, { status: 'initializing' })));

  app.get('/ports', async () => json(200, { ports: await c.ports() }));

  app.get('/handlers', async () => {
    const handlers = await c.handlers();
    return json(200, { handlers, total: handlers.length });
  });
}
