// The admin `/events` stream (contract §8.4) through EventSource. EventSource cannot send headers, so the API key
// travels as `?apiKey=`. The browser reconnects on its own after a dropped stream (`retry: 3000`); when it gives up
// (the server answered with an error status), this reconnects after the same delay. It is opened with
// `?requests=true`, so journal entries arrive as `request` events (§12) for the Journal view and connection traffic.

import { apiKey } from './api-key.ts';
import type { JournalEntry } from './journal-types.ts';
import type { Protocol, StatsByProtocol } from './types.ts';
import type { MetricsSummary } from '../../src/contract/metrics-summary.ts';

export type LiveEvent =
  | { type: 'mock.created' | 'mock.updated'; data: { mock: { id: string } } }
  | { type: 'mock.deleted'; data: { id: string; type: string } }
  | { type: 'connection.opened' | 'connection.closed'; data: { protocol: Protocol; id: string; mockId: string; reason?: string } }
  | { type: 'stats'; data: StatsByProtocol & { dropped?: number } }
  | { type: 'request'; data: JournalEntry }
  | { type: 'worker.restarted'; data: { worker: string } }
  | { type: 'metrics'; data: MetricsSummary & { time: string } };

export type LiveStatus = 'connecting' | 'live' | 'offline';

const EVENT_TYPES = ['mock.created', 'mock.updated', 'mock.deleted', 'connection.opened', 'connection.closed', 'stats', 'worker.restarted', 'request', 'metrics'] as const;
const RECONNECT_MS = 3000;

/** Opens the stream; returns a function that closes it for good. */
export function openLiveEvents(onEvent: (e: LiveEvent) => void, onStatus: (s: LiveStatus) => void): () => void {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const connect = (): void => {
    const key = apiKey.get();
    // `metrics=true` adds a summary of the counters once a second, for the throughput charts (issue 23).
    source = new EventSource(key ? `events?requests=true&metrics=true&apiKey=${encodeURIComponent(key)}` : 'events?requests=true&metrics=true');
    onStatus('connecting');
    source.onopen = () => onStatus('live');
    source.onerror = () => {
      if (source?.readyState !== EventSource.CLOSED) return onStatus('connecting');
      onStatus('offline');
      source = undefined;
      if (!stopped) timer = setTimeout(connect, RECONNECT_MS);
    };
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (msg) => {
        try {
          onEvent({ type, data: JSON.parse((msg as MessageEvent<string>).data) } as LiveEvent);
        } catch {
          // A frame that is not JSON is not ours to act on.
        }
      });
    }
  };

  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}
