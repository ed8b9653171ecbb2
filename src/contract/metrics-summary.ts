// A per-protocol and per-mock summary of the metrics (issue 23), the same for everyone who shows them: `/events`
// sends it once a second to dashboards (`?metrics=true`), `mockd top` builds it from `/metrics`, and both compute rates
// and quantiles from two summaries in a row. Pure functions over plain data.

import { LATENCY_BUCKETS, type MetricsProtocol, type MetricsSnapshot } from './metrics.ts';

export const SUMMARY_PROTOCOLS: readonly MetricsProtocol[] = ['http', 'websocket', 'sse', 'mqtt', 'grpc'];

export interface ProtocolSummary {
  /** HTTP requests and gRPC calls answered. */
  requests: number;
  /** WebSocket frames, SSE events, MQTT publishes and gRPC stream messages, both directions. */
  messages: number;
  /** Unmatched requests and messages, HTTP 5xx, gRPC status other than OK. */
  errors: number;
  /** Live connections now. */
  connections: number;
  /** Latency histogram, per bucket of LATENCY_BUCKETS plus +Inf (not cumulative). */
  latency: { buckets: number[]; sum: number; count: number };
}

export interface MockSummary {
  mockId: string;
  protocol: MetricsProtocol;
  requests: number;
  messages: number;
  errors: number;
}

export interface MetricsSummary {
  protocols: Record<MetricsProtocol, ProtocolSummary>;
  mocks: MockSummary[];
}

type SummaryInput = Pick<MetricsSnapshot, 'requests' | 'messages' | 'latency' | 'live'>;

function emptyProtocol(): ProtocolSummary {
  return { requests: 0, messages: 0, errors: 0, connections: 0, latency: { buckets: new Array(LATENCY_BUCKETS.length + 1).fill(0), sum: 0, count: 0 } };
}

function isError(protocol: MetricsProtocol, matched: boolean, code: string): boolean {
  if (!matched) return true;
  if (protocol === 'http') return Number(code) >= 500;
  if (protocol === 'grpc') return code !== '0';
  return false;
}

export function summarizeMetrics(s: SummaryInput): MetricsSummary {
  const protocols = Object.fromEntries(SUMMARY_PROTOCOLS.map((p) => [p, emptyProtocol()])) as Record<MetricsProtocol, ProtocolSummary>;
  const mocks = new Map<string, MockSummary>();
  const mockOf = (protocol: MetricsProtocol, mockId: string) => {
    const key = `${protocol} ${mockId}`;
    let m = mocks.get(key);
    if (!m) mocks.set(key, (m = { mockId, protocol, requests: 0, messages: 0, errors: 0 }));
    return m;
  };
  for (const [protocol, mockId, matched, code, n] of s.requests) {
    const p = (protocols[protocol] ??= emptyProtocol());
    const error = isError(protocol, matched, code);
    p.requests += n;
    if (error) p.errors += n;
    if (mockId === '') continue;
    const m = mockOf(protocol, mockId);
    m.requests += n;
    if (error) m.errors += n;
  }
  for (const [protocol, mockId, matched, , n] of s.messages) {
    const p = (protocols[protocol] ??= emptyProtocol());
    p.messages += n;
    if (!matched) p.errors += n;
    const m = mockOf(protocol, mockId);
    m.messages += n;
    if (!matched) m.errors += n;
  }
  for (const [protocol, , n] of s.live) (protocols[protocol] ??= emptyProtocol()).connections += n;
  for (const row of s.latency) {
    const p = (protocols[row.protocol] ??= emptyProtocol());
    p.latency = { buckets: [...row.buckets], sum: row.sum, count: row.count };
  }
  return { protocols, mocks: [...mocks.values()] };
}

/**
 * The q-quantile (0..1) of a histogram in seconds, interpolated inside its bucket as Prometheus's histogram_quantile
 * does; undefined when the histogram is empty. A quantile in the +Inf bucket reports the highest finite bound.
 */
export function quantileOf(buckets: readonly number[], q: number): number | undefined {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const inBucket = buckets[i]!;
    if (seen + inBucket >= rank && inBucket > 0) {
      if (i >= LATENCY_BUCKETS.length) return LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1];
      const lower = i === 0 ? 0 : LATENCY_BUCKETS[i - 1]!;
      const upper = LATENCY_BUCKETS[i]!;
      return lower + (upper - lower) * ((rank - seen) / inBucket);
    }
    seen += inBucket;
  }
  return LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1];
}

/** What happened between two summaries: counters as differences (never negative: a restarted worker starts at 0). */
export function summaryDelta(previous: MetricsSummary | undefined, current: MetricsSummary): MetricsSummary {
  if (!previous) return current;
  const sub = (a: number, b: number) => Math.max(0, a - b);
  const protocols = {} as Record<MetricsProtocol, ProtocolSummary>;
  for (const [name, c] of Object.entries(current.protocols) as [MetricsProtocol, ProtocolSummary][]) {
    const p = previous.protocols[name] ?? emptyProtocol();
    protocols[name] = {
      requests: sub(c.requests, p.requests),
      messages: sub(c.messages, p.messages),
      errors: sub(c.errors, p.errors),
      connections: c.connections,
      latency: {
        buckets: c.latency.buckets.map((n, i) => sub(n, p.latency.buckets[i] ?? 0)),
        sum: sub(c.latency.sum, p.latency.sum),
        count: sub(c.latency.count, p.latency.count),
      },
    };
  }
  const before = new Map(previous.mocks.map((m) => [`${m.protocol} ${m.mockId}`, m]));
  const mocks = current.mocks.map((m) => {
    const b = before.get(`${m.protocol} ${m.mockId}`);
    return b ? { ...m, requests: sub(m.requests, b.requests), messages: sub(m.messages, b.messages), errors: sub(m.errors, b.errors) } : m;
  });
  return { protocols, mocks };
}
