// What a protocol host is inside a worker: it serves the mocks it is given and owns their live connections.
// A worker entry builds its hosts and hands them to serveWorkerApi (src/protocols/worker-api.ts); it adds nothing else.

import type { Mock, HandlerKind } from '../mocks/types.ts';
import type { ConnectionManager } from './connections.ts';

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
  protocol: 'http' | 'mqtt' | 'grpc';
  component: 'mock-server' | 'mqtt-broker' | 'grpc-server';
  mockId?: string;
  status: 'listening' | 'error';
}

export interface ProtocolHost {
  /** True for the mocks this host serves (e.g. the http host takes `http` and `websocket`). */
  accepts(mock: Mock): boolean;
  /** Checks what only the worker can (e.g. that gRPC protos parse); throws a validation_error MockdError. */
  validate?(mock: Mock): Promise<void>;
  /**
   * Registers a new or changed mock. For a change, the mock's live connections are closed first with reason
   * `mock_changed` and the new definition is live when the promise resolves. A bind failure rejects with
   * MockdError `port_unavailable` and leaves nothing registered.
   */
  apply(mock: Mock): Promise<MockRuntime>;
  /** Unregisters a mock (deleted or disabled): closes its connections with `mock_changed`, stops its listener. */
  remove(mockId: string): Promise<void>;
  runtimes(): MockRuntime[];
  listeners(): ListenerInfo[];
  /** The connection managers this host owns, one per protocol it serves. */
  readonly managers: readonly ConnectionManager[];
  /** Graceful shutdown: every connection gets the protocol's shutdown goodbye, then listeners close. */
  close(): Promise<void>;
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
}

export type HostFactory = (options: HostOptions) => Promise<ProtocolHost>;

export type WorkerName = 'http' | 'mqtt' | 'grpc';
