// The seam between the coordinator and cluster mode (src/cluster, README "Cluster mode"). Without `--cluster` none
// of this is set and the coordinator works alone, as always; with it, mock writes are checked against and stored in
// the shared store, and connection calls reach every replica.

import type { Mock } from '../mocks/types.ts';
import type { CloseReason, ConnectionRecord, ConnectionStats, Protocol } from '../contract/protocols.ts';

/** How mock writes take part in the cluster's shared store. */
export interface MockReplication {
  /** Throws `503 worker_unavailable` while the shared store is unreachable: a write would be lost. */
  checkWritable(): void;
  /**
   * Stores a change made on this replica (already validated and serving here). Rejects with the truthful answer
   * (`409 duplicate_id`, `404 not_found`, `503`) when the shared store refuses it; the replica is then put back to
   * what the shared store holds.
   */
  stored(kind: 'create' | 'update' | 'delete', id: string, mock?: Mock): Promise<void>;
}

/** Connection calls across every replica; records carry the replica that holds them. */
export interface ClusterConnections {
  list(protocol: Protocol, mockId?: string): Promise<ConnectionRecord[]>;
  get(protocol: Protocol, id: string): Promise<ConnectionRecord | undefined>;
  close(protocol: Protocol, id: string, reason: CloseReason): Promise<boolean>;
  closeByMock(protocol: Protocol, mockId: string, reason: CloseReason): Promise<number>;
  stats(protocol: Protocol): Promise<ConnectionStats>;
  sendWebSocket(id: string, type: 'text' | 'binary', data: string): Promise<void>;
}

export interface ReplicaView {
  id: string;
  state: 'up' | 'self';
  adminUrl: string;
  mockUrl: string;
  startedAt: string;
  lastSeen: string;
}

export interface ClusterHealth {
  replica: string;
  redis: 'connected' | 'unreachable';
  replicas: ReplicaView[];
}

export interface ClusterHooks {
  /** This replica's name; connection ids are qualified with it (`ws-4@<replicaId>`). */
  readonly replicaId: string;
  mocks: MockReplication;
  connections: ClusterConnections;
  health(): ClusterHealth;
}
