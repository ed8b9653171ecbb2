// `GET /metrics` (issue 23): the Prometheus text format of every protocol's counters, gathered from the workers on
// each scrape (admin route → coordinator → worker pool → worker API). Behind the API key like every data route.

import type { H3 } from 'h3';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/prometheus.ts';

export function registerMetricsRoute(app: H3, c: Coordinator): void {
  app.get('/metrics', async () => new Response(await c.metricsText(), { status: 200, headers: { 'content-type': PROMETHEUS_CONTENT_TYPE } }));
}
