// Merging the members' metrics snapshots into one (issue 23): counters and gauges with the same labels add up, so a
// pool of N http workers reports as one http protocol. Pure functions over plain data.

import { emptySnapshot, type LatencyRow, type MetricsSnapshot } from '../contract/metrics.ts';

type Row = (string | boolean | number)[];

/** Adds up rows whose label columns (all but the last) are equal. */
function sumRows<R extends Row>(lists: R[][]): R[] {
  if (lists.length === 1) return lists[0]!;
  const byKey = new Map<string, R>();
  for (const rows of lists) {
    for (const row of rows) {
      const key = row.slice(0, -1).join('\u0001');
      const seen = byKey.get(key);
      if (seen) (seen[seen.length - 1] as number) += row[row.length - 1] as number;
      else byKey.set(key, [...row] as R);
    }
  }
  return [...byKey.values()];
}

function sumLatency(lists: LatencyRow[][]): LatencyRow[] {
  const byProtocol = new Map<string, LatencyRow>();
  for (const rows of lists) {
    for (const row of rows) {
      const seen = byProtocol.get(row.protocol);
      if (!seen) {
        byProtocol.set(row.protocol, { ...row, buckets: [...row.buckets] });
        continue;
      }
      row.buckets.forEach((n, i) => (seen.buckets[i] = (seen.buckets[i] ?? 0) + n));
      seen.sum += row.sum;
      seen.count += row.count;
    }
  }
  return [...byProtocol.values()];
}

export function mergeSnapshots(parts: readonly MetricsSnapshot[]): MetricsSnapshot {
  const out = emptySnapshot();
  if (parts.length === 0) return out;
  out.requests = sumRows(parts.map((p) => p.requests));
  out.messages = sumRows(parts.map((p) => p.messages));
  out.latency = sumLatency(parts.map((p) => p.latency));
  out.bytes = sumRows(parts.map((p) => p.bytes));
  out.opened = sumRows(parts.map((p) => p.opened));
  out.closed = sumRows(parts.map((p) => p.closed));
  out.live = sumRows(parts.map((p) => p.live));
  for (const p of parts) {
    out.journal.entries += p.journal.entries;
    out.journal.capacity += p.journal.capacity;
    out.journal.dropped += p.journal.dropped;
    out.scripts.queued += p.scripts.queued;
    out.scripts.running += p.scripts.running;
    out.scripts.timeouts += p.scripts.timeouts;
  }
  return out;
}
