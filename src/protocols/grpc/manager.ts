// The gRPC ConnectionManager (contract §9.5): only streaming RPCs are tracked, as `grpc-stream-<n>`; unary calls only
// add to totalRPCs and the message totals. The bookkeeping is the shared ConnectionRegistry's; this file adds the
// gRPC counters and the record shape.

import type { CloseReason, ConnectionManager, ConnectionRecord, ConnectionStats, Goodbye } from '../../contract/protocols.ts';
import type { FaultTarget } from '../faults/connection-faults.ts';
import { ConnectionRegistry, createIdSequence, registryVerbs, type RegistryVerbs } from '../connections.ts';

export type GrpcStreamType = 'client_stream' | 'server_stream' | 'bidi';

/** One live streaming RPC, exactly as `GET /grpc/connections/{id}` returns it. */
export interface GrpcStream extends ConnectionRecord {
  id: string;
  mockId: string;
  /** `/pkg.Svc/M` */
  method: string;
  streamType: GrpcStreamType;
  /** `ip:port` of the client. */
  clientAddr: string;
  connectedAt: string;
  messagesSent: number;
  messagesRecv: number;
}

export interface GrpcStats extends ConnectionStats {
  activeStreams: number;
  totalStreams: number;
  totalRPCs: number;
  totalMessagesSent: number;
  totalMessagesRecv: number;
  cancelledByAdmin: number;
  /** Active streams by `/pkg.Svc/M`. */
  streamsByMethod: Record<string, number>;
  connectionsByMock: Record<string, number>;
  /** Live streams whose connection is TLS. */
  tlsConnections?: number;
}

export type NewStream = Pick<GrpcStream, 'mockId' | 'method' | 'streamType' | 'clientAddr' | 'tls'>;

// list, get, close, closeByMock, closeAll and onEvent come from the shared registry (registryVerbs).
export interface GrpcConnectionManager extends RegistryVerbs<GrpcStream> {}

export class GrpcConnectionManager implements ConnectionManager<GrpcStream, GrpcStats> {
  readonly protocol = 'grpc' as const;
  readonly #registry = new ConnectionRegistry<GrpcStream>('grpc');
  readonly #nextId = createIdSequence('grpc-stream-');
  #totalRPCs = 0;
  #totalMessagesSent = 0;
  #totalMessagesRecv = 0;
  #cancelledByAdmin = 0;

  constructor() {
    Object.assign(this, registryVerbs(this.#registry));
  }

  /** Streams live now on every server of the worker, for `--max-connections`. */
  get size(): number {
    return this.#registry.size;
  }

  /** Counts one RPC of any of the four kinds. */
  countRpc(): void {
    this.#totalRPCs++;
  }

  /** Counts a message sent to the client, on the stream's record when it is a tracked stream. */
  countSent(stream?: GrpcStream): void {
    this.#totalMessagesSent++;
    if (stream) stream.messagesSent++;
  }

  countRecv(stream?: GrpcStream): void {
    this.#totalMessagesRecv++;
    if (stream) stream.messagesRecv++;
  }

  /** A stream ended by the admin API or a mock change while it was still live (§9.5 `cancelledByAdmin`). */
  countCancelled(): void {
    this.#cancelledByAdmin++;
  }

  /** Starts tracking a streaming RPC (emits connection.opened). Call `gone` when the call is gone. */
  open(fields: NewStream, goodbye: Goodbye, target?: FaultTarget): GrpcStream {
    const record: GrpcStream = {
      id: this.#nextId(),
      mockId: fields.mockId,
      method: fields.method,
      streamType: fields.streamType,
      clientAddr: fields.clientAddr,
      ...(fields.tls ? { tls: fields.tls } : {}),
      connectedAt: new Date().toISOString(),
      messagesSent: 0,
      messagesRecv: 0,
    };
    this.#registry.add(record, goodbye, target);
    return record;
  }

  /** Faults before an outbound message: false drops it, a number holds it that many ms. */
  outbound(id: string): number | false {
    return this.#registry.faults.outbound(id);
  }

  /** While the stream is stalled: resolves when the stall is lifted. */
  stalledUntil(id: string): Promise<void> | undefined {
    return this.#registry.faults.stalledUntil(id);
  }

  /** True when a fault or chaos rule acts on the stream's messages (its sends then go through passFaults). */
  isFaulted(id: string): boolean {
    return this.#registry.faults.isActive(id);
  }

  /** The call is gone; a close() in progress supplies its own reason, which wins over `reason`. */
  gone(record: GrpcStream, reason?: CloseReason): void {
    this.#registry.remove(record.id, reason);
  }

  stats(): GrpcStats {
    const streamsByMethod: Record<string, number> = {};
    for (const r of this.#registry.records()) streamsByMethod[r.method] = (streamsByMethod[r.method] ?? 0) + 1;
    return {
      activeStreams: this.#registry.size,
      totalStreams: this.#registry.totalConnections,
      totalRPCs: this.#totalRPCs,
      totalMessagesSent: this.#totalMessagesSent,
      totalMessagesRecv: this.#totalMessagesRecv,
      cancelledByAdmin: this.#cancelledByAdmin,
      streamsByMethod,
      connectionsByMock: this.#registry.connectionsByMock(),
      ...this.#registry.tlsStat(),
    };
  }
}
