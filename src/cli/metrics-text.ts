// Reading mockd's own `/metrics` text back into rows for `mockd top` (issue 23). Only the families the summary needs
// are read; the line format is the Prometheus text exposition format (name{label="value",…} value).

import { LATENCY_BUCKETS, type LatencyRow, type MetricsProtocol, type MetricsSnapshot } from '../contract/metrics.ts';

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = unescape(l[2]!);
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The rows summarizeMetrics reads, from the text of `/metrics`. */
export function snapshotFromText(text: string): Pick<MetricsSnapshot, 'requests' | 'messages' | 'latency' | 'live'> {
  const s: Pick<MetricsSnapshot, 'requests' | 'messages' | 'latency' | 'live'> = { requests: [], messages: [], latency: [], live: [] };
  const latency = new Map<string, LatencyRow & { cumulative: Map<string, number> }>();
  for (const { name, labels: l, value } of parseSamples(text)) {
    const protocol = l.protocol as MetricsProtocol;
    if (name === 'mockd_requests_total') s.requests.push([protocol, l.mock_id ?? '', l.matched === 'true', l.code ?? '', value]);
    else if (name === 'mockd_messages_total') s.messages.push([protocol, l.mock_id ?? '', l.matched === 'true', l.direction as 'in' | 'out', value]);
    else if (name === 'mockd_connections') s.live.push([protocol, l.mock_id ?? '', value]);
    else if (name.startsWith('mockd_request_duration_seconds_')) {
      let row = latency.get(protocol);
      if (!row) latency.set(protocol, (row = { protocol, buckets: [], sum: 0, count: 0, cumulative: new Map() }));
      if (name.endsWith('_bucket')) row.cumulative.set(l.le!, value);
      else if (name.endsWith('_sum')) row.sum = value;
      else if (name.endsWith('_count')) row.count = value;
    }
  }
  for (const row of latency.values()) {
    let previous = 0;
    const bounds = [...LATENCY_BUCKETS.map(String), '+Inf'];
    row.buckets = bounds.map((le) => {
      const c = row.cumulative.get(le) ?? previous;
      const n = c - previous;
      previous = c;
      return n;
    });
    s.latency.push({ protocol: row.protocol, buckets: row.buckets, sum: row.sum, count: row.count });
  }
  return s;
}
