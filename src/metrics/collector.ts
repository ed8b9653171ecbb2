// The metrics of one worker (issue 23): plain numbers in maps, bumped on the request path and read only when the
// coordinator asks for a snapshot on a scrape. Nothing here crosses a thread per request, allocates per request
// beyond a map key, or touches a timer. `--no-metrics` turns every count into an early return.

import {
  LATENCY_BUCKETS, emptySnapshot, type CloseReasonLabel, type LatencyRow, type MetricsProtocol, type MetricsSnapshot,
} from '../contract/metrics.ts';
import type { CloseReason, ConnectionEvent } from '../contract/protocols.ts';

const SEP = '\u0001';

class Histogram {
  readonly buckets = new Array<number>(LATENCY_BUCKETS.length + 1).fill(0);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    this.buckets[i]!++;
    this.sum += seconds;
    this.count++;
  }
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** The registry's close reasons as the `reason` label says them. */
function reasonLabel(reason: CloseReason | undefined): CloseReasonLabel {
  if (reason === 'mock_changed') return 'mock_change';
  return (reason ?? 'client') as CloseReasonLabel;
}

export interface ScriptStats {
  queued: number;
  running: number;
  timeouts: number;
}

/** Counts of one (protocol, mock) pair by direction and matched, or by code: one object, bumped in place. */
interface MessageCounts {
  inMatched: number;
  inUnmatched: number;
  outMatched: number;
  outUnmatched: number;
}

/**
 * Nested maps keyed by the very strings the request path already holds (the protocol literal, the mock's id) and by
 * status numbers: a count is a few map reads and one increment, with no key string built per request (a string built
 * per request is hashed again every time, which cost HTTP about 6% of its throughput).
 */
export class MetricsCollector {
  /** False with `--no-metrics`: every count returns at once. */
  enabled = true;
  /** protocol → mock id ('' = unmatched) → code → count. */
  readonly #requests = new Map<MetricsProtocol, Map<string, Map<number | string, number>>>();
  /** protocol → mock id → counts. */
  readonly #messages = new Map<MetricsProtocol, Map<string, MessageCounts>>();
  readonly #latency = new Map<MetricsProtocol, Histogram>();
  readonly #bytes = new Map<MetricsProtocol, { in: number; out: number }>();
  readonly #opened = new Map<string, number>();
  readonly #closed = new Map<string, number>();
  readonly #live = new Map<string, number>();
  #scripts: () => ScriptStats = () => ({ queued: 0, running: 0, timeouts: 0 });

  /** One HTTP request or gRPC call, answered with `code` (an HTTP status, a gRPC status number). */
  request(protocol: MetricsProtocol, mockId: string | undefined, code: number, seconds?: number): void {
    if (!this.enabled) return;
    let byMock = this.#requests.get(protocol);
    if (!byMock) this.#requests.set(protocol, (byMock = new Map()));
    const key = mockId ?? '';
    let byCode = byMock.get(key);
    if (!byCode) byMock.set(key, (byCode = new Map()));
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
    if (seconds !== undefined) this.latency(protocol, seconds);
  }

  /** One WebSocket frame, SSE event, MQTT PUBLISH or gRPC stream message, `in` from the client or `out` to it. */
  message(protocol: MetricsProtocol, mockId: string, direction: 'in' | 'out', bytes: number, matched = true): void {
    if (!this.enabled) return;
    let byMock = this.#messages.get(protocol);
    if (!byMock) this.#messages.set(protocol, (byMock = new Map()));
    let c = byMock.get(mockId);
    if (!c) byMock.set(mockId, (c = { inMatched: 0, inUnmatched: 0, outMatched: 0, outUnmatched: 0 }));
    if (direction === 'in') {
      if (matched) c.inMatched++;
      else c.inUnmatched++;
    } else if (matched) c.outMatched++;
    else c.outUnmatched++;
    if (bytes > 0) this.bytes(protocol, direction, bytes);
  }

  /** Time from a request (or a message that gets an answer) to its answer. */
  latency(protocol: MetricsProtocol, seconds: number): void {
    if (!this.enabled) return;
    let h = this.#latency.get(protocol);
    if (!h) this.#latency.set(protocol, (h = new Histogram()));
    h.observe(seconds);
  }

  /** Payload bytes (bodies, frames, payloads) received or sent. */
  bytes(protocol: MetricsProtocol, direction: 'in' | 'out', bytes: number): void {
    if (!this.enabled || bytes <= 0) return;
    let b = this.#bytes.get(protocol);
    if (!b) this.#bytes.set(protocol, (b = { in: 0, out: 0 }));
    b[direction] += bytes;
  }

  /** The registry's opened/closed events: the live gauge and the opened/closed counters follow them. */
  readonly onConnectionEvent = (event: ConnectionEvent): void => {
    if (!this.enabled) return;
    const key = event.protocol + SEP + event.mockId;
    if (event.type === 'connection.opened') {
      bump(this.#opened, key);
      bump(this.#live, key);
      return;
    }
    const left = (this.#live.get(key) ?? 1) - 1;
    if (left > 0) this.#live.set(key, left);
    else this.#live.delete(key);
    bump(this.#closed, event.protocol + SEP + reasonLabel(event.reason));
  };

  /** A connection refused by a cap: counted as opened and closed with reason `limit`, never live. */
  refused(protocol: MetricsProtocol, mockId: string): void {
    if (!this.enabled) return;
    bump(this.#opened, protocol + SEP + mockId);
    bump(this.#closed, protocol + SEP + 'limit');
  }

  /** The script pool hands in how to read its queue and timeouts (it starts lazily, with the first script). */
  useScriptStats(read: () => ScriptStats): void {
    this.#scripts = read;
  }

  snapshot(journal: MetricsSnapshot['journal']): MetricsSnapshot {
    const out = emptySnapshot();
    out.journal = journal;
    out.scripts = this.#scripts();
    for (const [p, byMock] of this.#requests) {
      for (const [mockId, byCode] of byMock) for (const [code, n] of byCode) out.requests.push([p, mockId, mockId !== '', String(code), n]);
    }
    for (const [p, byMock] of this.#messages) {
      for (const [mockId, c] of byMock) {
        const rows: [boolean, 'in' | 'out', number][] = [[true, 'in', c.inMatched], [false, 'in', c.inUnmatched], [true, 'out', c.outMatched], [false, 'out', c.outUnmatched]];
        for (const [matched, direction, n] of rows) if (n > 0) out.messages.push([p, mockId, matched, direction, n]);
      }
    }
    for (const [protocol, h] of this.#latency) {
      out.latency.push({ protocol, buckets: [...h.buckets], sum: h.sum, count: h.count } satisfies LatencyRow);
    }
    for (const [p, b] of this.#bytes) {
      if (b.in > 0) out.bytes.push([p, 'in', b.in]);
      if (b.out > 0) out.bytes.push([p, 'out', b.out]);
    }
    for (const [key, n] of this.#opened) out.opened.push([...(key.split(SEP) as [MetricsProtocol, string]), n]);
    for (const [key, n] of this.#live) out.live.push([...(key.split(SEP) as [MetricsProtocol, string]), n]);
    for (const [key, n] of this.#closed) out.closed.push([...(key.split(SEP) as [MetricsProtocol, string]), n]);
    return out;
  }
}

/** The metrics of this thread. */
export const metrics = new MetricsCollector();
