// What `mockd top` shows (issue 23), from two summaries of `/metrics` an interval apart: per protocol the rates,
// latency quantiles, live connections and errors, and the busiest mocks. Pure, so `--once --json` and the live
// screen say the same numbers.

import { SUMMARY_PROTOCOLS, quantileOf, summaryDelta, type MetricsSummary } from '../contract/metrics-summary.ts';
import type { MetricsProtocol } from '../contract/metrics.ts';
import { table } from './output.ts';

export interface ProtocolRow {
  /** Totals since mockd started, as `/metrics` has them. */
  requests: number;
  messages: number;
  errors: number;
  connections: number;
  /** Over the last interval. */
  requestsPerSecond: number;
  messagesPerSecond: number;
  errorsPerSecond: number;
  /** Latency quantiles since start in milliseconds (null when nothing was answered yet). */
  p50Ms: number | null;
  p99Ms: number | null;
  /** The same over the last interval. */
  intervalP50Ms: number | null;
  intervalP99Ms: number | null;
}

export interface MockRow {
  mockId: string;
  protocol: MetricsProtocol;
  requests: number;
  messages: number;
  errors: number;
  opsPerSecond: number;
}

export interface TopView {
  time: string;
  intervalSeconds: number;
  protocols: Record<MetricsProtocol, ProtocolRow>;
  busiestMocks: MockRow[];
}

const ms = (seconds: number | undefined) => (seconds === undefined ? null : Math.round(seconds * 1e6) / 1e3);
const perSecond = (n: number, seconds: number) => (seconds > 0 ? Math.round((n / seconds) * 100) / 100 : 0);

export function buildTopView(previous: MetricsSummary | undefined, current: MetricsSummary, seconds: number, mockCount = 5): TopView {
  const delta = summaryDelta(previous, current);
  const protocols = {} as Record<MetricsProtocol, ProtocolRow>;
  for (const p of SUMMARY_PROTOCOLS) {
    const c = current.protocols[p];
    const d = delta.protocols[p];
    protocols[p] = {
      requests: c.requests,
      messages: c.messages,
      errors: c.errors,
      connections: c.connections,
      requestsPerSecond: previous ? perSecond(d.requests, seconds) : 0,
      messagesPerSecond: previous ? perSecond(d.messages, seconds) : 0,
      errorsPerSecond: previous ? perSecond(d.errors, seconds) : 0,
      p50Ms: ms(quantileOf(c.latency.buckets, 0.5)),
      p99Ms: ms(quantileOf(c.latency.buckets, 0.99)),
      intervalP50Ms: previous ? ms(quantileOf(d.latency.buckets, 0.5)) : null,
      intervalP99Ms: previous ? ms(quantileOf(d.latency.buckets, 0.99)) : null,
    };
  }
  const recent = new Map(delta.mocks.map((m) => [`${m.protocol} ${m.mockId}`, m.requests + m.messages]));
  const busiestMocks = current.mocks
    .map((m) => ({ ...m, opsPerSecond: previous ? perSecond(recent.get(`${m.protocol} ${m.mockId}`) ?? 0, seconds) : 0 }))
    .sort((a, b) => b.opsPerSecond - a.opsPerSecond || b.requests + b.messages - (a.requests + a.messages) || a.mockId.localeCompare(b.mockId))
    .slice(0, mockCount);
  return { time: new Date().toISOString(), intervalSeconds: seconds, protocols, busiestMocks };
}

const num = (v: number | null) => (v === null ? '-' : String(v));

/** The live screen: one table per protocol, one of the busiest mocks, and the latest connection events. */
export function renderTopView(view: TopView, adminUrl: string, events: readonly string[]): string {
  const rows = SUMMARY_PROTOCOLS.map((p) => {
    const r = view.protocols[p];
    return [p, r.requestsPerSecond, r.messagesPerSecond, num(r.intervalP50Ms ?? r.p50Ms), num(r.intervalP99Ms ?? r.p99Ms), r.connections, r.errors, r.requests + r.messages];
  });
  const mocks = view.busiestMocks.map((m) => [m.mockId, m.protocol, m.opsPerSecond, m.requests + m.messages, m.errors]);
  return [
    `mockd top: ${adminUrl}  ${view.time}  (every ${Math.round(view.intervalSeconds)}s, Ctrl-C to quit)`,
    '',
    table(['PROTOCOL', 'REQ/S', 'MSG/S', 'P50 MS', 'P99 MS', 'CONNS', 'ERRORS', 'TOTAL'], rows),
    '',
    mocks.length > 0 ? table(['BUSIEST MOCK', 'PROTOCOL', 'OPS/S', 'TOTAL', 'ERRORS'], mocks) : 'No traffic yet',
    '',
    ...(events.length > 0 ? ['Recent events:', ...events.map((e) => `  ${e}`)] : []),
  ].join('\n');
}
