// The Prometheus text format of `GET /metrics` (issue 23), built with prom-client: our gathered counters are
// registered as collector objects that prom-client formats and escapes, next to its default process metrics
// (CPU, memory, event loop lag, GC) of this process, which every worker thread shares.

import { Registry, collectDefaultMetrics } from 'prom-client';
import { CLOSE_REASON_LABELS, LATENCY_BUCKETS, type MetricsSnapshot } from '../contract/metrics.ts';
import { PROTOCOLS } from '../contract/protocols.ts';

export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

type Labels = Record<string, string | number>;
interface Value {
  labels: Labels;
  value: number;
  metricName?: string;
}
type MetricType = 'counter' | 'gauge' | 'histogram';

/** What the renderer needs beyond the workers' counters (the coordinator's GatheredMetrics has it). */
export interface RenderInput extends MetricsSnapshot {
  workers: { worker: string; pool: string; up: boolean; restarts: number }[];
  mocks: { total: number; enabled: number };
}


/** prom-client's collector shape: `get()` answers the name, help, type and values of one metric family. */
function family(name: string, help: string, type: MetricType, values: Value[]) {
  return { name, help, type, get: async () => ({ name, help, type, values, aggregator: 'sum' as const }) };
}

let processRegistry: Registry | undefined;

/** The default process metrics, registered once per process (prom-client keeps their state between scrapes). */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

function histogramValues(s: MetricsSnapshot): Value[] {
  const values: Value[] = [];
  for (const row of s.latency) {
    let cumulative = 0;
    LATENCY_BUCKETS.forEach((le, i) => {
      cumulative += row.buckets[i] ?? 0;
      values.push({ metricName: 'mockd_request_duration_seconds_bucket', labels: { protocol: row.protocol, le }, value: cumulative });
    });
    values.push({ metricName: 'mockd_request_duration_seconds_bucket', labels: { protocol: row.protocol, le: '+Inf' }, value: row.count });
    values.push({ metricName: 'mockd_request_duration_seconds_sum', labels: { protocol: row.protocol }, value: row.sum });
    values.push({ metricName: 'mockd_request_duration_seconds_count', labels: { protocol: row.protocol }, value: row.count });
  }
  return values;
}

function closedValues(s: MetricsSnapshot): Value[] {
  // Every protocol and reason appears from the first scrape, so rate() and dashboards never meet a missing series.
  const counts = new Map<string, number>();
  for (const p of PROTOCOLS) for (const r of CLOSE_REASON_LABELS) counts.set(`${p} ${r}`, 0);
  for (const [p, r, n] of s.closed) counts.set(`${p} ${r}`, (counts.get(`${p} ${r}`) ?? 0) + n);
  return [...counts].map(([key, value]) => {
    const [protocol, reason] = key.split(' ');
    return { labels: { protocol: protocol!, reason: reason! }, value };
  });
}

/** The whole `/metrics` body: mockd's families, then the process metrics. */
export async function renderPrometheus(s: RenderInput): Promise<string> {
  const registry = new Registry();
  const families = [
    family('mockd_requests_total', 'HTTP requests and gRPC calls answered, by mock, matched and status code', 'counter',
      s.requests.map(([protocol, mock_id, matched, code, value]) => ({ labels: { protocol, mock_id, matched: String(matched), code }, value }))),
    family('mockd_messages_total', 'WebSocket frames, SSE events, MQTT publishes and gRPC stream messages, by mock and direction', 'counter',
      s.messages.map(([protocol, mock_id, matched, direction, value]) => ({ labels: { protocol, mock_id, matched: String(matched), direction }, value }))),
    family('mockd_request_duration_seconds', 'Time from a request or call to its answer, per protocol', 'histogram', histogramValues(s)),
    family('mockd_connections', 'Live connections (WebSocket clients, SSE streams, MQTT clients, gRPC streams) by mock', 'gauge',
      s.live.map(([protocol, mock_id, value]) => ({ labels: { protocol, mock_id }, value }))),
    family('mockd_connections_opened_total', 'Connections opened, by mock (refused ones included, closed with reason limit)', 'counter',
      s.opened.map(([protocol, mock_id, value]) => ({ labels: { protocol, mock_id }, value }))),
    family('mockd_connections_closed_total', 'Connections closed, by reason', 'counter', closedValues(s)),
    family('mockd_bytes_total', 'Payload bytes (bodies, frames, events, payloads) received (in) and sent (out)', 'counter',
      s.bytes.map(([protocol, direction, value]) => ({ labels: { protocol, direction }, value }))),
    family('mockd_journal_entries', 'Entries held in the request journal', 'gauge', [{ labels: {}, value: s.journal.entries }]),
    family('mockd_journal_capacity', 'Entries the request journal can hold (--journal-size, per worker)', 'gauge', [{ labels: {}, value: s.journal.capacity }]),
    family('mockd_journal_dropped_total', 'Journal entries dropped because the journal was full', 'counter', [{ labels: {}, value: s.journal.dropped }]),
    family('mockd_worker_up', 'Whether each protocol worker is running', 'gauge',
      s.workers.map((w) => ({ labels: { worker: w.worker, pool: w.pool }, value: w.up ? 1 : 0 }))),
    family('mockd_worker_restarts_total', 'Times each protocol worker was restarted after it died', 'counter',
      s.workers.map((w) => ({ labels: { worker: w.worker, pool: w.pool }, value: w.restarts }))),
    family('mockd_script_queue', 'Response scripts waiting for a free script thread', 'gauge', [{ labels: {}, value: s.scripts.queued }]),
    family('mockd_script_running', 'Response scripts running now', 'gauge', [{ labels: {}, value: s.scripts.running }]),
    family('mockd_script_timeouts_total', 'Response scripts ended by their timeout', 'counter', [{ labels: {}, value: s.scripts.timeouts }]),
    family('mockd_mocks', 'Mocks configured, and how many are enabled', 'gauge', [
      { labels: { state: 'total' }, value: s.mocks.total },
      { labels: { state: 'enabled' }, value: s.mocks.enabled },
    ]),
  ];
  for (const f of families) registry.registerMetric(f as never);
  return (await registry.metrics()) + '\n' + (await processMetrics().metrics());
}
