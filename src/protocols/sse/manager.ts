// Live SSE streams of the http worker (contract §9.3), on top of the shared ConnectionRegistry. Streams report their
// writes here, so the cumulative totals keep what a stream added after it has left the listings (§9.1).

import type { CloseReason, ConnectionManager, ConnectionRecord, ConnectionStats, Goodbye } from '../../contract/protocols.ts';
import type { FaultTarget } from '../faults/connection-faults.ts';
import { ConnectionRegistry, createIdSequence, registryVerbs, type RegistryVerbs } from '../connections.ts';

/** One stream as `GET /sse/connections` shows it; the property order is the contract's. */
export interface SseConnection extends ConnectionRecord {
  id: string;
  mockId: string;
  /** The request path, without the query string. */
  path: string;
  /** Remote `ip:port`. */
  clientIp: string;
  /** Left out when the request had no User-Agent. */
  userAgent?: string;
  connectedAt: string;
  /** Events only: not the preamble or keepalives. */
  eventsSent: number;
  /** Every body byte: preamble, events and keepalives. */
  bytesSent: number;
  status: 'active' | 'closing';
}

export interface SseStats extends ConnectionStats {
  totalConnections: number;
  activeConnections: number;
  totalEventsSent: number;
  totalBytesSent: number;
  /** 503 refusals past the stream cap, plus streams that ended on a write error. */
  connectionErrors: number;
  connectionsByMock: Record<string, number>;
  /** Live streams that came over TLS. */
  tlsConnections?: number;
}

export type NewStream = Pick<SseConnection, 'mockId' | 'path' | 'clientIp' | 'userAgent' | 'tls'>;

// list, get, close, closeByMock, closeAll and onEvent come from the shared registry (registryVerbs).
export interface SseConnectionManager extends RegistryVerbs<SseConnection> {}

export class SseConnectionManager implements ConnectionManager<SseConnection, SseStats> {
  readonly protocol = 'sse' as const;
  readonly #registry = new ConnectionRegistry<SseConnection>('sse');
  readonly #nextId = createIdSequence('sse-');
  #totalEventsSent = 0;
  #totalBytesSent = 0;
  #connectionErrors = 0;

  constructor() {
    Object.assign(this, registryVerbs(this.#registry));
  }

  /** Streams open now. */
  get size(): number {
    return this.#registry.size;
  }

  /** Lists a new stream under the next `sse-<n>` id; `goodbye` is its clean end. Returns the live record. */
  open(stream: NewStream, goodbye: Goodbye, target?: FaultTarget): SseConnection {
    const record: SseConnection = {
      id: this.#nextId(),
      mockId: stream.mockId,
      path: stream.path,
      clientIp: stream.clientIp,
      ...(stream.userAgent !== undefined && { userAgent: stream.userAgent }),
      ...(stream.tls !== undefined && { tls: stream.tls }),
      connectedAt: new Date().toISOString(),
      eventsSent: 0,
      bytesSent: 0,
      status: 'active',
    };
    this.#registry.add(record, goodbye, target);
    return record;
  }

  /** Faults on the stream before its next event: false drops it, a number holds it that many ms. */
  outbound(id: string): number | false {
    return this.#registry.faults.outbound(id);
  }

  /** A stream wrote `bytes` body bytes, `events` of them events. */
  countWrite(record: SseConnection, bytes: number, events: number): void {
    record.bytesSent += bytes;
    record.eventsSent += events;
    this.#totalBytesSent += bytes;
    this.#totalEventsSent += events;
  }

  /** A 503 refusal or a stream that ended on a write error (§9.3). */
  countError(): void {
    this.#connectionErrors++;
  }

  /** The stream is gone; a reason asked for by close() wins over `reason`. */
  gone(record: SseConnection, reason?: CloseReason): void {
    this.#registry.remove(record.id, reason);
  }

  stats(): SseStats {
    return {
      totalConnections: this.#registry.totalConnections,
      activeConnections: this.#registry.size,
      totalEventsSent: this.#totalEventsSent,
      totalBytesSent: this.#totalBytesSent,
      connectionErrors: this.#connectionErrors,
      connectionsByMock: this.#registry.connectionsByMock(),
      ...this.#registry.tlsStat(),
    };
  }

}
