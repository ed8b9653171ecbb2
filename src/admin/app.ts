// The admin API (contract §8) as an h3 v2 app. Errors are translated once, here: a MockdError becomes
// `{"error","message","field"?}` with its status; anything else is logged and answered as internal_error.

import { H3, HTTPError } from 'h3';
import { MockdError } from '../errors.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { registerMockRoutes } from './mocks.ts';
import { registerConnectionRoutes } from './connections.ts';
import { registerWebSocketSendRoute } from './websocket-send.ts';
import { registerStatusRoutes } from './status.ts';
import { registerEventRoutes } from './events.ts';
import { registerDashboardRoutes } from './dashboard.ts';
import { json } from './respond.ts';
import { registerSecurity, type AdminSecurity } from './auth.ts';
import { registerRequestRoutes } from './requests.ts';
import { registerCompatRoutes } from './compat-routes.ts';
import { registerImportExportRoutes } from './import-export.ts';
import { registerFaultRoutes } from './faults.ts';
import { registerChaosRoutes } from './chaos.ts';
import { registerTlsRoutes } from './tls.ts';
import { registerMetricsRoute } from './metrics.ts';
import { registerRecordingRoutes } from './recordings.ts';

function toErrorResponse(err: unknown, log: Coordinator['log']): Response {
  const cause = err instanceof HTTPError && err.cause !== undefined ? err.cause : err;
  if (cause instanceof MockdError) return json(cause.status, cause.toBody());
  if (cause instanceof HTTPError) {
    if (cause.status === 404 || cause.status === 405) return json(404, { error: 'not_found', message: 'Not found' });
    if (cause.status < 500) return json(400, { error: 'invalid_json', message: cause.message });
  }
  log('error', `admin API: ${(cause as Error)?.stack ?? String(cause)}`);
  return json(500, { error: 'internal_error', message: 'internal error' });
}

export function createAdminApp(c: Coordinator, security: AdminSecurity = { host: '127.0.0.1' }): H3 {
  const app = new H3({
    silent: true,
    onError: (error) => toErrorResponse(error, c.log),
  });
  registerSecurity(app, security);
  registerStatusRoutes(app, c);
  registerMockRoutes(app, c);
  registerConnectionRoutes(app, c);
  registerRequestRoutes(app, c);
  registerImportExportRoutes(app, c);
  registerRecordingRoutes(app, c);
  registerWebSocketSendRoute(app, c);
  registerFaultRoutes(app, c);
  registerChaosRoutes(app, c);
  registerEventRoutes(app, c);
  registerMetricsRoute(app, c);
  registerDashboardRoutes(app);
  registerCompatRoutes(app, c);
  registerTlsRoutes(app, c);
  // Unknown routes and methods are 404 not_found (contract §8.2).
  app.all('/**', () => json(404, { error: 'not_found', message: 'Not found' }));
  return app;
}
