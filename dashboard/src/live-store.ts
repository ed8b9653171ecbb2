// The dashboard's data: every protocol's connection list and stats, the mocks and their handlers, kept current from
// the `/events` stream. Events say *what* changed; the lists are then refetched (debounced per protocol), so the
// table always shows the server's own records. Counters move without connection events (a WebSocket exchanging
// messages sends none), so protocols with live connections are also refetched once a second.

import { api, describeError } from './api.ts';
import { Observable } from './observable.ts';
import type { JournalEntry } from './journal-types.ts';
import { openLiveEvents, type LiveEvent, type LiveStatus } from './live-events.ts';
import { PROTOCOL_INFO } from './protocols.ts';
import { ThroughputStore } from './throughput-store.ts';
import { PROTOCOLS, type ConnectionOf, type Handler, type Mock, type Protocol, type Stats, type StatsByProtocol } from './types.ts';

export interface DashboardState {
  connections: { [P in Protocol]: ConnectionOf[P][] };
  stats: StatsByProtocol;
  mocks: Mock[];
  handlers: Handler[];
  status: LiveStatus;
  /** The last failed load, shown until a load succeeds. */
  loadError?: string;
}

type Source = Protocol | 'mocks';

const DEBOUNCE_MS = 100;
const READY_POLL_MS = 250;
const READY_TRIES = 40;

async function waitUntilReady(): Promise<void> {
  for (let i = 0; i < READY_TRIES; i++) {
    try {
      await api('/ready');
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  }
}
const POLL_MS = 1000;

export class LiveStore extends Observable<DashboardState> {
  readonly #timers = new Map<Source, ReturnType<typeof setTimeout>>();
  readonly #inFlight = new Set<Source>();
  /** Responses can overtake each other; only the newest request's answer is applied. */
  readonly #sequence = new Map<Source, number>();
  readonly #requestListeners = new Set<(entry?: JournalEntry) => void>();
  #closeEvents?: () => void;
  #poll?: ReturnType<typeof setInterval>;
  #wasLive = false;
  /** The throughput and latency charts, fed by the `metrics` events. */
  readonly throughput = new ThroughputStore();

  constructor() {
    super({ connections: { websocket: [], sse: [], mqtt: [], grpc: [] }, stats: {}, mocks: [], handlers: [], status: 'connecting' });
  }

  start(): void {
    this.stop();
    for (const p of PROTOCOLS) this.refresh(p, true);
    this.refresh('mocks', true);
    this.#closeEvents = openLiveEvents(
      (e) => this.#onEvent(e),
      (status) => this.#onStatus(status),
    );
    this.#poll = setInterval(() => {
      for (const p of PROTOCOLS) if (this.value.connections[p].length > 0 && !this.#inFlight.has(p)) this.refresh(p, true);
    }, POLL_MS);
  }

  stop(): void {
    this.#closeEvents?.();
    clearInterval(this.#poll);
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  /** Refetches one source, at once or after a short debounce that merges bursts of events. */
  refresh(source: Source, now = false): void {
    if (now) {
      clearTimeout(this.#timers.get(source));
      this.#timers.delete(source);
      void this.#load(source);
      return;
    }
    if (this.#timers.has(source)) return;
    this.#timers.set(
      source,
      setTimeout(() => {
        this.#timers.delete(source);
        void this.#load(source);
      }, DEBOUNCE_MS),
    );
  }

  async #load(source: Source): Promise<void> {
    const seq = (this.#sequence.get(source) ?? 0) + 1;
    this.#sequence.set(source, seq);
    this.#inFlight.add(source);
    try {
      if (source === 'mocks') {
        const [mocks, handlers] = await Promise.all([
          api<{ mocks: Mock[] }>('/mocks'),
          api<{ handlers: Handler[] }>('/handlers'),
        ]);
        if (this.#sequence.get(source) === seq) this.#patch({ mocks: mocks.mocks, handlers: handlers.handlers, loadError: undefined });
      } else {
        const info = PROTOCOL_INFO[source];
        const body = await api<Record<string, unknown>>(info.routes.list);
        if (this.#sequence.get(source) !== seq) return;
        this.#patch({
          connections: { ...this.value.connections, [source]: body[info.listKey] ?? [] },
          stats: { ...this.value.stats, [source]: body.stats as Stats },
          loadError: undefined,
        });
      }
    } catch (err) {
      this.#patch({ loadError: describeError(err) });
    } finally {
      this.#inFlight.delete(source);
    }
  }

  /**
   * Journal entries as they arrive (§12). The listener is called with no entry when some may have been missed: the
   * stream sampled them away (`dropped`), or it was down for a while.
   */
  onRequest(listener: (entry?: JournalEntry) => void): () => void {
    this.#requestListeners.add(listener);
    return () => this.#requestListeners.delete(listener);
  }

  #emitRequest(entry?: JournalEntry): void {
    for (const l of this.#requestListeners) l(entry);
  }

  /**
   * After the stream comes back (the admin API was briefly down), everything missed meanwhile is reloaded. A mockd
   * that restarted answers before its mocks are loaded, so the reload waits for `GET /ready` (§1) first.
   */
  #onStatus(status: LiveStatus): void {
    if (status === 'live' && this.#wasLive && this.value.status !== 'live') {
      void waitUntilReady().then(() => {
        for (const p of PROTOCOLS) this.refresh(p, true);
        this.refresh('mocks', true);
        this.#emitRequest();
      });
    }
    if (status === 'live') this.#wasLive = true;
    this.#patch({ status });
  }

  #onEvent(e: LiveEvent): void {
    switch (e.type) {
      case 'request':
        this.#emitRequest(e.data);
        break;
      case 'connection.opened':
      case 'connection.closed':
        this.refresh(e.data.protocol);
        break;
      case 'stats': {
        const { dropped, ...stats } = e.data;
        if (dropped) this.#emitRequest();
        const previous = this.value.stats;
        this.#patch({ stats: { ...previous, ...stats } });
        for (const p of PROTOCOLS) if (JSON.stringify(previous[p]) !== JSON.stringify(stats[p])) this.refresh(p);
        break;
      }
      case 'mock.created':
      case 'mock.updated':
      case 'mock.deleted':
        this.refresh('mocks');
        break;
      case 'worker.restarted':
        for (const p of PROTOCOLS) this.refresh(p);
        this.refresh('mocks');
        break;
      case 'metrics':
        this.throughput.add(e.data);
        break;
    }
  }

  #patch(partial: Partial<DashboardState>): void {
    this.set({ ...this.value, ...partial });
  }
}
