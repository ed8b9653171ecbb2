// The connection protocols, their close reasons and the shapes every protocol's connection records, stats and events
// share (contract §9). Plain types and constants: both threads and the front door read them.

import type { ConnectionFault } from './faults.ts';
import type { TlsInfo } from './tls.ts';

export type Protocol = 'websocket' | 'sse' | 'mqtt' | 'grpc';
export const PROTOCOLS: readonly Protocol[] = ['websocket', 'sse', 'mqtt', 'grpc'];

/** The protocol workers; each one runs the hosts of some mock types (see profiles.ts). */
export type WorkerName = 'http' | 'mqtt' | 'grpc';

export type CloseReason = 'client' | 'admin' | 'mock_changed' | 'shutdown' | 'server';

/** Fields every protocol's record has; each protocol adds its own (contract §9.2–§9.5). */
export interface ConnectionRecord {
  id: string;
  mockId: string;
  connectedAt: string;
  /** The pool member that holds it (`http-2`); only when the pool has more than one member. */
  worker?: string;
  /** Present when the client connected over TLS (README "TLS"). */
  tls?: TlsInfo;
}

/** Stats are plain values, safe to send across threads. Every protocol has connectionsByMock. */
export interface ConnectionStats {
  connectionsByMock: Record<string, number>;
}

export interface ConnectionEvent {
  type: 'connection.opened' | 'connection.closed';
  protocol: Protocol;
  id: string;
  mockId: string;
  reason?: CloseReason;
  /** Cluster mode: the replica that holds the connection, on events relayed from another replica. */
  replica?: string;
}

export type ConnectionListener = (event: ConnectionEvent) => void;

/** Says goodbye to one live connection in the protocol's own way; resolves once the connection is gone. */
export type Goodbye = (reason: CloseReason) => Promise<void> | void;

/**
 * One vocabulary for the four ConnectionManagers. A protocol's host calls `open` when a client is accepted (with the
 * protocol's goodbye) and `gone` when it has left, whoever ended it; the worker API answers the admin verbs with the
 * rest. Each manager adds its own `open` fields and, for WebSocket, `send`.
 */
export interface ConnectionManager<R extends ConnectionRecord = ConnectionRecord, S extends ConnectionStats = ConnectionStats> {
  readonly protocol: Protocol;
  /** Live connections now. */
  readonly size: number;
  /** Live connections, oldest first; only those of `mockId` when given. */
  list(mockId?: string): R[];
  get(id: string): R | undefined;
  /** Resolves once the connection is closed and gone from every listing; false when it was unknown. */
  close(id: string, reason: CloseReason): Promise<boolean>;
  /** Closes every live connection of a mock; resolves with how many were closed. */
  closeByMock(mockId: string, reason: CloseReason): Promise<number>;
  closeAll(reason: CloseReason): Promise<number>;
  stats(): S;
  /** Subscribes to connection.opened / connection.closed; returns the unsubscribe function. */
  onEvent(listener: ConnectionListener): () => void;
  /** Applies a fault to one live connection (README "Faults and chaos"); false when it is unknown here. */
  fault(id: string, fault: ConnectionFault): boolean;
  /** Applies a fault to every live connection of a mock; how many took it. */
  faultByMock(mockId: string, fault: ConnectionFault): number;
  /** Lifts the lasting faults of one connection; false when it is unknown here. */
  liftFault(id: string): boolean;
  liftFaultsOfMock(mockId: string): number;
}
