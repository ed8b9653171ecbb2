// Journal entries of contract §12: one per HTTP request, WebSocket frame, SSE open/event, MQTT PUBLISH and gRPC
// call/message. Workers keep them; the admin API collects and merges them when asked.

import { PROTOCOLS, type Protocol } from '../contract/protocols.ts';
import type { MockChangePreview } from '../contract/events.ts';

/** Plain HTTP requests and the four connection protocols. */
export type JournalProtocol = 'http' | Protocol;
export const JOURNAL_PROTOCOLS: readonly JournalProtocol[] = ['http', ...PROTOCOLS];

export interface HttpBlock {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  statusCode: number;
  durationMs: number;
  nearMisses?: unknown[];
  /** The HTTP fault that broke or replaced this answer (`reset`, `empty`, …, `error-503`; README "Faults and chaos"). */
  fault?: string;
  /** Proxied requests only (issue 21): what the upstream answered. */
  responseHeaders?: Record<string, string>;
  responseBody?: string;
}

export interface WebSocketBlock {
  connectionId: string;
  direction: 'in' | 'out';
  messageType: 'text' | 'binary';
  data: string;
  /** Proxied frames only (issue 21): the connection's path, so a snapshot knows where to serve the replay. */
  path?: string;
  /** Set for received frames when the mock has a `schema` (issue 22): false with the reason when the frame breaks it. */
  valid?: boolean;
  reason?: string;
}

export interface SseBlock {
  connectionId: string;
  kind: 'open' | 'event';
  eventType?: string;
  eventId?: string;
  data?: string;
  /** Proxied streams only (issue 21): the request path. */
  path?: string;
}

export interface MqttBlock {
  clientId: string;
  direction: 'in' | 'out';
  topic: string;
  qos: number;
  retain: boolean;
  payload: string;
  payloadEncoding?: 'base64';
  /** Set when the topic has a `schema` (issue 22): false with the reason when the payload breaks it. */
  valid?: boolean;
  reason?: string;
}

export interface GrpcBlock {
  method: string;
  streamType: 'unary' | 'client_stream' | 'server_stream' | 'bidi';
  streamId?: string;
  kind: 'call' | 'message';
  direction?: 'in' | 'out';
  statusCode?: number;
  body?: unknown;
  metadata?: Record<string, string>;
  /** Proxied calls only (issue 21): the upstream's reply of a unary or client-stream call, and its status details. */
  response?: unknown;
  statusDetails?: string;
}

export interface JournalEntry {
  id: string;
  timestamp: string;
  protocol: JournalProtocol;
  mockId?: string;
  matched: boolean;
  bodyTruncated?: true;
  /** The request or connection came over TLS (README "TLS"), with the client certificate's CN when there was one. */
  tls?: true;
  clientCN?: string;
  /** Traffic that passed through a proxy mock (issue 21). */
  proxied?: true;
  /** Path of the WebSocket or SSE connection, for the `path` filter; not part of the contract's JSON. */
  http?: HttpBlock;
  websocket?: WebSocketBlock;
  sse?: SseBlock;
  mqtt?: MqttBlock;
  grpc?: GrpcBlock;
  /** A mock change's policy decision or dry run (README "Mock changes"), recorded by the coordinator; never a call. */
  change?: ChangeBlock;
  /** A fault applied to or lifted from a connection or request (README "Faults and chaos"); never a call. */
  fault?: FaultBlock;
}

/** What a fault did: its kind, applied or lifted, who asked, and the connection it reached (none for HTTP). */
export interface FaultBlock {
  kind: string;
  action: 'applied' | 'lifted';
  source: 'admin' | 'mock' | 'chaos';
  connectionId?: string;
}

/** What a mock change did, or with dryRun would do, to live connections and ports (the preview without its ids). */
export type ChangeBlock = { dryRun: boolean } & Omit<MockChangePreview, 'mockId' | 'protocol'>;

/** The filter keys of `GET /requests` and `POST /requests/wait` (contract §12). */
export interface JournalFilter {
  protocol?: JournalProtocol;
  mockId?: string;
  matched?: boolean;
  connectionId?: string;
  topic?: string;
  method?: string;
  path?: string;
  /** Only entries newer than this id (`req-<n>`), as its number. */
  since?: number;
  /** Only the calls that count for verify and invocations. */
  callsOnly?: boolean;
  /** Only entries checked against a schema with this outcome (`valid: false` = invalid messages, issue 22). */
  valid?: boolean;
  /**
   * `?changes=true`: only the mock change decisions and dry runs (README "Mock changes"), which the traffic listings,
   * waits and verify otherwise leave out.
   */
  changes?: boolean;
  /** `?faults=true`: only the fault entries (README "Faults and chaos"), which the traffic listings leave out. */
  faults?: boolean;
}

export function entryNumber(id: string): number {
  return Number(id.slice(4));
}

/** The client id of proxied MQTT entries for the upstream side of an `mqtt.proxy` bridge (issue 21). */
export const UPSTREAM_CLIENT_ID = '$upstream';
