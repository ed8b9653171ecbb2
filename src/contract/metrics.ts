// What a worker's metrics look like when the coordinator gathers them on a scrape (issue 23): plain numbers in
// arrays, safe to send across threads by structured clone. Workers count; the coordinator merges; the admin renders.

/** Latency bucket bounds in seconds, shared by every protocol's histogram (Prometheus `le`). */
export const LATENCY_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Why a connection ended, as the `reason` label says it. The registry's `mock_changed` is `mock_change` here;
 * `limit` counts connections refused by `--max-connections` or a mock's `maxConnections` (each is also counted
 * as opened, so opened - closed = live); `server` is a close the mock itself made (a scenario, a finished stream).
 */
export const CLOSE_REASON_LABELS = ['client', 'admin', 'mock_change', 'shutdown', 'limit', 'fault', 'server'] as const;
export type CloseReasonLabel = (typeof CLOSE_REASON_LABELS)[number];

/** The protocols metrics are kept for: plain HTTP plus the four connection protocols. */
export type MetricsProtocol = 'http' | 'websocket' | 'sse' | 'mqtt' | 'grpc';

/** `[protocol, mockId ('' when unmatched), matched, code ('' when the protocol has none), count]` */
export type RequestRow = [MetricsProtocol, string, boolean, string, number];
/** `[protocol, mockId, matched, direction, count]` */
export type MessageRow = [MetricsProtocol, string, boolean, 'in' | 'out', number];
/** `[protocol, mockId, count]` */
export type MockCountRow = [MetricsProtocol, string, number];
/** `[protocol, reason, count]` */
export type ReasonRow = [MetricsProtocol, string, number];
/** `[protocol, direction, bytes]` */
export type BytesRow = [MetricsProtocol, 'in' | 'out', number];

export interface LatencyRow {
  protocol: MetricsProtocol;
  /** Per bucket of LATENCY_BUCKETS, not cumulative; one more slot at the end for +Inf. */
  buckets: number[];
  sum: number;
  count: number;
}

/** One worker's counters since it started (a restarted worker starts again from zero). */
export interface MetricsSnapshot {
  requests: RequestRow[];
  messages: MessageRow[];
  latency: LatencyRow[];
  bytes: BytesRow[];
  opened: MockCountRow[];
  closed: ReasonRow[];
  live: MockCountRow[];
  journal: { entries: number; capacity: number; dropped: number };
  scripts: { queued: number; running: number; timeouts: number };
}

export function emptySnapshot(): MetricsSnapshot {
  return {
    requests: [], messages: [], latency: [], bytes: [], opened: [], closed: [], live: [],
    journal: { entries: 0, capacity: 0, dropped: 0 },
    scripts: { queued: 0, running: 0, timeouts: 0 },
  };
}

/** The http worker asks for the `/metrics` text on its events port (the mock port's `/__mockd/metrics`)... */
export interface MetricsRequest {
  metricsRequest: number;
}
/** ...and the coordinator answers on the same port with the text or why there is none. */
export interface MetricsReply {
  metricsReply: number;
  text?: string;
  error?: string;
}
