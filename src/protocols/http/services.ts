// The two connection protocols that live on the mock port beside plain HTTP. The http host routes to them:
// matched SSE mocks to the SseService, upgrades to the WebSocketService. Each owns its ConnectionManager.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Mock } from '../../mocks/types.ts';
import type { ConnectionManager } from '../connections.ts';
import type { HostOptions } from '../host.ts';
import type { RequestInfo } from './request-context.ts';

export interface SseService {
  readonly manager: ConnectionManager;
  /**
   * Answers a request matched to an SSE mock with its event stream. `info` is the request as the host already read it
   * (the body cannot be read twice), for templating `request.*` in event data.
   */
  serve(req: IncomingMessage, res: ServerResponse, mock: Mock, pathParams: Record<string, string>, info: RequestInfo): void;
  /** Ends every stream of a mock that changed or went away (clean end, reason mock_changed). */
  closeMock(mockId: string): Promise<void>;
  /** Shutdown: ends every stream. */
  close(): Promise<void>;
}

export interface WebSocketService {
  readonly manager: ConnectionManager;
  /** Registers or replaces a WebSocket mock; clients of its previous version get 1012 first. */
  apply(mock: Mock): Promise<void>;
  remove(mockId: string): Promise<void>;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Shutdown: every client gets 1001. */
  close(): Promise<void>;
  verbs?: Record<string, (...args: never[]) => unknown>;
}

export type SseServiceFactory = (options: HostOptions) => SseService;
export type WebSocketServiceFactory = (options: HostOptions) => WebSocketService;
