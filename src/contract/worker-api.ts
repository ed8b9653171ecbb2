// The API every protocol worker exposes to the coordinator over Comlink, and what the coordinator hands a worker at
// spawn. Comlink is for control traffic only (tens of µs a call); per-request work never crosses threads.

import type { MessagePort } from 'node:worker_threads';
import type { HandlerKind, Mock } from '../mocks/types.ts';
import type { JournalEntry, JournalFilter } from '../journal/types.ts';
import type { CloseReason, ConnectionRecord, ConnectionStats, Protocol } from './protocols.ts';
import type { PoolCountsInit } from './caps.ts';
import type { ChaosConfig, ChaosCounts, ConnectionFault } from './faults.ts';
import type { TlsMaterial } from './tls.ts';
import type { MetricsSnapshot } from './metrics.ts';

/** Runtime state of one registered mock, as `/handlers` and `/ports` report it. */
export interface MockRuntime {
  mockId: string;
  kind: HandlerKind | 'http';
  /** The port the mock's own listener is bound to (MQTT, gRPC), or the mock port (http worker). */
  port?: number;
  path?: string;
  status: 'running' | 'error';
  error?: string;
}

/** A listener a worker owns, for `/ports`. */
export interface ListenerInfo {
  port: number;
  protocol: 'http' | 'https' | 'mqtt' | 'grpc';
  component: 'mock-server' | 'mqtt-broker' | 'grpc-server';
  mockId?: string;
  status: 'listening' | 'error';
  /** The listener speaks TLS (the HTTPS port, an MQTT broker's TLS port, a gRPC server with TLS). */
  tls?: boolean;
}

export interface HostOptions {
  host: string;
  /** Directory that relative bodyFile / protoFile / importPaths resolve against. */
  baseDir: string;
  /** The mock port of the http worker (0 = pick). */
  port?: number;
  maxSseStreams?: number;
  /**
   * `--max-connections`: live connections per protocol in this worker (0 or unset = unlimited): WebSocket clients,
   * MQTT clients across every broker, gRPC streaming RPCs across every server. SSE has maxSseStreams instead.
   */
  maxConnections?: number;
  /** Time a client has to send its request headers on the mock port (default 10 s). */
  headersTimeoutMs?: number;
  /** `--read-timeout`: time a client has to send its whole request, body included, on the mock port (default 60 s). */
  requestTimeoutMs?: number;
  /** `--write-timeout`: time an HTTP response may take once the request arrived; SSE streams are exempt (0 = none). */
  writeTimeoutMs?: number;
  journalSize?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  logFormat?: 'text' | 'json';
  /** `--log-requests`: the journal logs every entry it records (issue 23). */
  logRequests?: boolean;
  /** `--no-metrics` sets false: workers keep no counters and a scrape shows only process metrics (issue 23). */
  metrics?: boolean;
  /** The member's name in its pool (`http-2`), set only when the pool has more than one member; records carry it. */
  worker?: string;
  /**
   * How the mock port is bound when a pool shares it (reusePort, Linux, Node >= 22.12): `first` checks that nobody
   * else holds the port, then binds it sharable; `join` binds it next to the members that hold it. Unset: a plain,
   * exclusive bind (one member, as on Node 20).
   */
  portShare?: PortShare;
  /**
   * Cluster mode (README "Cluster mode"): the Redis the replicas share. MQTT brokers then exchange PUBLISHes and keep
   * retained messages and sessions there, under `<prefix>:mqtt:<mock id>:`, so clients of every replica meet.
   */
  sharedRedis?: { url: string; prefix: string };
  /** `--https-port` (0 = pick; unset = no HTTPS): the same mocks over TLS (README "TLS"). */
  httpsPort?: number;
  /** How the HTTPS port is bound in a pool, as `portShare` for the mock port. */
  httpsPortShare?: PortShare;
  /** mockd's own certificate (`--tls-cert`/`--tls-auto`), for the HTTPS port and for MQTT/gRPC TLS without files. */
  tls?: TlsMaterial;
}

export type PortShare = 'first' | 'join';

/** Where a mock lands in a pool: its cap slot and, for an own-port mock served by several members, how to bind. */
export interface MockPlacement {
  /** The mock version's slot in the pool counters (src/contract/caps.ts), for its `maxConnections`. */
  capSlot?: number;
  /** As HostOptions.portShare, for the mock's own port (gRPC). */
  portShare?: PortShare;
}

export interface WorkerApi {
  /** Registers a new or changed mock; resolves once it is live. */
  apply(mock: Mock, placement?: MockPlacement): Promise<MockRuntime>;
  /** Checks a mock without registering it (e.g. gRPC protos must parse on create, even when disabled). */
  validate(mock: Mock): Promise<void>;
  remove(mockId: string): Promise<void>;
  runtimes(): MockRuntime[];
  listeners(): ListenerInfo[];
  protocols(): Protocol[];
  listConnections(protocol: Protocol, mockId?: string): ConnectionRecord[];
  getConnection(protocol: Protocol, id: string): ConnectionRecord | undefined;
  closeConnection(protocol: Protocol, id: string, reason: CloseReason): Promise<boolean>;
  closeConnectionsOfMock(protocol: Protocol, mockId: string, reason: CloseReason): Promise<number>;
  stats(protocol: Protocol): ConnectionStats;
  /** `POST /websocket/connections/{id}/send` (§9.2); rejects not_found for a connection this worker does not hold. */
  sendWebSocket(id: string, type: 'text' | 'binary', data: string): Promise<void>;
  /** A fault on one live connection (README "Faults and chaos"); false when this worker does not hold it. */
  faultConnection(protocol: Protocol, id: string, fault: ConnectionFault): boolean;
  /** A fault on every live connection of a mock here; how many took it. */
  faultConnectionsOfMock(protocol: Protocol, mockId: string, fault: ConnectionFault): number;
  /** Lifts lasting faults; false (or 0) when nothing here matched. */
  liftConnectionFault(protocol: Protocol, id: string): boolean;
  liftConnectionFaultsOfMock(protocol: Protocol, mockId: string): number;
  /** The chaos configuration every member applies; resets this worker's chaos counts. */
  setChaos(config: ChaosConfig): void;
  chaosCounts(): ChaosCounts;
  /** How many mocks are enabled in all, for the mock port's `/__mockd/ready`; a worker without it ignores it. */
  setEnabledCount(count: number): void;
  /** Journal entries of this worker that match (contract §12); the coordinator merges the workers' answers. */
  journalQuery(filter: JournalFilter): JournalEntry[];
  journalClear(): void;
  journalRemoveMock(mockId: string): number;
  /** While on, every new entry is also posted on the events port (for waiters and live subscribers). */
  journalStreaming(on: boolean): void;
  /** New handshakes use this material from now on; live connections keep theirs (`POST /tls/reload`, SIGHUP). */
  reloadTls(material: TlsMaterial): Promise<void>;
  /** This worker's counters, read once per scrape of `/metrics` (issue 23); the coordinator merges the members'. */
  metrics(): MetricsSnapshot;
  shutdown(): Promise<void>;
}

/** Data the coordinator hands each worker at spawn. */
export interface WorkerInit {
  options: HostOptions;
  /** Connection events (and streamed journal entries) flow here in batches, never one Comlink call each. */
  events: MessagePort;
  /** The journal id counter shared by every worker, so `req-<n>` increases across threads. */
  journalCounter: SharedArrayBuffer;
  /** The worker's name in logs (`http`, `http-2`): every line it logs says which worker wrote it. */
  label?: string;
  /** Connection id counters (see ids.ts) that outlive a worker restart. */
  idCounters: SharedArrayBuffer;
  /** The pool's cap counters (see caps.ts); absent in a bare worker, which then counts only its own connections. */
  poolCounts?: PoolCountsInit;
}
