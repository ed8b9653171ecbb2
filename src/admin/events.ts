// `GET /events`: the live change stream for dashboards (contract §8.4), in the SSE wire format of §4, plus one
// `request` event per journal entry when opened as `/events?requests=true` (§12).
// It is served by the admin app on the main thread, so it never counts against `--max-sse-streams` and is never
// listed as an SSE connection. Auth is the admin API's (auth.ts); EventSource cannot send headers, so this one route
// also takes the key as `?apiKey=`.

import type { H3 } from 'h3';
import type { Coordinator } from '../coordinator/coordinator.ts';
import type { BusEvent } from '../contract/events.ts';
import { PROTOCOLS, type ConnectionStats, type Protocol } from '../contract/protocols.ts';
import { encodeEvent, PREAMBLE, SSE_HEADERS } from '../contract/sse-wire.ts';
import { sendMetricsEvery } from './metrics-events.ts';

/** Stats go out at most this often, and only after a change (§8.4). */
export const STATS_INTERVAL_MS = 1000;
/** `/events?requests=true` sends at most this many `request` events a second (§12). */
const MAX_REQUEST_EVENTS_PER_SECOND = 200;
/** A client that falls this far behind is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;


/**
 * In cluster mode (README "Cluster mode") connection ids are qualified with the replica that holds them, as the
 * listings show them: this replica's own events get `@<self>`, other replicas' arrive qualified.
 */
function clusterIdOf(e: { id: string; replica?: string }, self?: string): { id: string; replica?: string } {
  if (e.replica) return { id: e.id, replica: e.replica };
  return self ? { id: `${e.id}@${self}`, replica: self } : { id: e.id };
}

/** The stream's view of a bus event, or undefined for events it does not forward. */
function toStreamEvent(e: BusEvent, self?: string): [string, unknown] | undefined {
  switch (e.type) {
    case 'mock.created':
    case 'mock.updated':
      return [e.type, { mock: e.mock }];
    case 'mock.deleted':
      return [e.type, { id: e.id, type: e.mockType }];
    case 'connection.opened':
      return [e.type, { protocol: e.protocol, ...clusterIdOf(e, self), mockId: e.mockId }];
    case 'connection.closed':
      return [e.type, { protocol: e.protocol, ...clusterIdOf(e, self), mockId: e.mockId, reason: e.reason ?? 'client' }];
    case 'worker.restarted':
      return [e.type, { worker: e.worker, restarts: e.restarts }];
    case 'fault.applied':
    case 'fault.lifted':
      return [e.type, { protocol: e.protocol, ...(e.id !== undefined && { id: e.id }), mockId: e.mockId, kind: e.kind, source: e.source }];
    case 'change.decided':
      return [e.type, { dryRun: e.dryRun, ...e.preview }];
    default:
      return undefined;
  }
}

/** Every protocol's stats in one object; a protocol whose worker does not answer keeps its last known value. */
async function collectStats(c: Coordinator, last: Partial<Record<Protocol, ConnectionStats>>): Promise<Record<Protocol, ConnectionStats>> {
  const results = await Promise.allSettled(PROTOCOLS.map((p) => (c.hasProtocol(p) ? c.connectionStats(p) : Promise.reject())));
  const out = {} as Record<Protocol, ConnectionStats>;
  PROTOCOLS.forEach((p, i) => {
    const r = results[i]!;
    out[p] = r.status === 'fulfilled' ? r.value : (last[p] ?? { connectionsByMock: {} });
  });
  return out;
}

/** One `/events` client. Everything it subscribes to is released when the client goes away or mockd closes. */
class LiveEventStream {
  readonly #encoder = new TextEncoder();
  readonly #unsubscribes: (() => void)[] = [];
  #controller?: ReadableStreamDefaultController<Uint8Array>;
  #nextId = 0;
  #closed = false;
  // Stats batching (§8.4).
  #dirty = false;
  #lastStatsAt = 0;
  #statsTimer: NodeJS.Timeout | undefined;
  #statsInFlight = false;
  #lastStats: Partial<Record<Protocol, ConnectionStats>> = {};
  // Request sampling (§12): a one-second window and what it had to drop.
  #windowStart = 0;
  #sentInWindow = 0;
  #dropped = 0;

  constructor(
    private readonly c: Coordinator,
    private readonly withRequests: boolean,
    /** `/events?metrics=true`: a `metrics` summary once a second (issue 23), for the dashboard's charts. */
    private readonly withMetrics = false,
  ) {}

  toResponse(): Response {
    const body = new ReadableStream<Uint8Array>(
      { start: (controller) => this.#start(controller), cancel: () => this.#close() },
      new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
    );
    return new Response(body, { status: 200, headers: SSE_HEADERS });
  }

  #start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#controller = controller;
    this.#write(PREAMBLE);
    this.#unsubscribes.push(this.c.bus.subscribe((e) => this.#onBusEvent(e)));
    if (this.withRequests) this.#unsubscribes.push(this.c.journal.subscribe((entries) => this.#onRequests(entries)));
    if (this.withMetrics) this.#unsubscribes.push(sendMetricsEvery(this.c, (summary) => this.#send('metrics', summary)));
    this.c.log('debug', `/events: a client connected; ${this.c.bus.size} listening`);
    void this.#sendStats();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#statsTimer);
    for (const unsubscribe of this.#unsubscribes) unsubscribe();
    this.c.log('debug', `/events: a client left; ${this.c.bus.size} listening`);
  }

  #write(text: string): void {
    if (this.#closed || !this.#controller) return;
    if ((this.#controller.desiredSize ?? 0) < -MAX_BUFFERED_BYTES) {
      this.#close();
      this.#controller.close();
      return;
    }
    this.#controller.enqueue(this.#encoder.encode(text));
  }

  #send(type: string, data: unknown): void {
    // The §4 wire format: compact JSON data on one line.
    this.#write(encodeEvent({ type, id: String(++this.#nextId), data: JSON.stringify(data) }));
  }

  #onBusEvent(e: BusEvent): void {
    const out = toStreamEvent(e, this.c.cluster?.replicaId);
    if (out) this.#send(out[0], out[1]);
    this.#markDirty();
  }

  #onRequests(entries: readonly unknown[]): void {
    for (const entry of entries) {
      const now = Date.now();
      if (now - this.#windowStart >= 1000) {
        this.#windowStart = now;
        this.#sentInWindow = 0;
      }
      if (this.#sentInWindow < MAX_REQUEST_EVENTS_PER_SECOND) {
        this.#sentInWindow++;
        this.#send('request', entry);
      } else {
        this.#dropped++;
        this.#markDirty();
      }
    }
  }

  #markDirty(): void {
    this.#dirty = true;
    if (this.#closed || this.#statsTimer || this.#statsInFlight) return;
    const wait = Math.max(0, this.#lastStatsAt + STATS_INTERVAL_MS - Date.now());
    this.#statsTimer = setTimeout(() => void this.#sendStats(), wait);
    this.#statsTimer.unref();
  }

  /** Stats are fetched from the workers only when a send is due, never per event. */
  async #sendStats(): Promise<void> {
    this.#statsTimer = undefined;
    this.#statsInFlight = true;
    this.#dirty = false;
    try {
      const previous = JSON.stringify(this.#lastStats);
      this.#lastStats = await collectStats(this.c, this.#lastStats);
      // A change that left every counter as it was (a mock created, say) needs no stats event.
      if (this.#lastStatsAt === 0 || this.#dropped > 0 || JSON.stringify(this.#lastStats) !== previous) {
        this.#lastStatsAt = Date.now();
        this.#send('stats', this.#dropped > 0 ? { ...this.#lastStats, dropped: this.#dropped } : this.#lastStats);
        this.#dropped = 0;
      }
    } finally {
      this.#statsInFlight = false;
      // Changes that came in while fetching get their own send, a second after this one.
      if (this.#dirty) this.#markDirty();
    }
  }
}

export function registerEventRoutes(app: H3, c: Coordinator): void {
  app.get('/events', (event) => {
    const query = new URL(event.req.url).searchParams;
    return new LiveEventStream(c, query.get('requests') === 'true', query.get('metrics') === 'true').toResponse();
  });
}
