// The three services that share the mock port (contract §1): plain HTTP mocks, SSE streams and WebSocket upgrades.
// The mock-port server (server.ts) routes to them and is handed their factories by workers/http.ts, so no protocol
// folder imports another. Each connection service owns its ConnectionManager.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Mock } from '../../mocks/types.ts';
import type { ConnectionManager } from '../../contract/protocols.ts';
import type { HostOptions } from '../../contract/worker-api.ts';
import type { RequestInfo } from './request-context.ts';

export interface HttpService {
  /** Registers a new or changed http mock (plain or SSE); it serves from the next request on. */
  apply(mock: Mock): void;
  /** Stops serving a mock (nothing happens for one it does not serve). */
  remove(mockId: string): void;
  /** Answers a request that is not one of mockd's own routes: matched, near-miss 404, or handed to SSE. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Stops pending delays and the script pool. */
  close(): Promise<void>;
}

export interface SseService {
  readonly manager: ConnectionManager;
  /**
   * Answers a request matched to an SSE mock with its event stream. `info` is the request as the host already read it
   * (the body cannot be read twice), for templating `request.*` in event data.
   */
  serve(req: IncomingMessage, res: ServerResponse, mock: Mock, pathParams: Record<string, string>, info: RequestInfo): void;
  /**
   * The streams of `old` after it changed into `next` (undefined: gone), as its onChange says: ended cleanly with
   * reason mock_changed (`close`), left on the old version until drainTimeoutMs (`drain`), or moved on (`keep`).
   */
  changeMock(old: Mock, next: Mock | undefined): Promise<void>;

  /**
   * Relays an upstream event stream to a client of an `http.proxy` mock (issue 21): listed and closed like any SSE
   * connection, each event journaled with `proxied: true`.
   */
  relay(req: IncomingMessage, res: ServerResponse, mock: Mock, upstream: IncomingMessage, options: { path: string; redact: boolean }): void;
  /** Ends every stream of a mock that changed or went away (clean end, reason mock_changed). */
  closeMock(mockId: string): Promise<void>;
  /** Shutdown: ends every stream. */
  close(): Promise<void>;
}

export interface WebSocketService {
  readonly manager: ConnectionManager;
  /** Registers or replaces a WebSocket mock; clients of its previous version get 1012 first. `capSlot`: see
   * MockPlacement. */
  apply(mock: Mock, capSlot?: number): Promise<void>;
  remove(mockId: string): Promise<void>;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Shutdown: every client gets 1001. */
  close(): Promise<void>;
}

export type HttpServiceFactory = (options: HostOptions, sse: SseService) => HttpService;
export type SseServiceFactory = (options: HostOptions) => SseService;
export type WebSocketServiceFactory = (options: HostOptions) => WebSocketService;

/** What workers/http.ts hands the mock-port server. */
export interface MockPortServices {
  http: HttpServiceFactory;
  sse: SseServiceFactory;
  websocket: WebSocketServiceFactory;
}
