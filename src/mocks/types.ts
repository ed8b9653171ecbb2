// The mock envelope and per-protocol specs of contract §2–§7, as plain data.
// A Mock crosses into workers by structured clone: no functions, no class instances.

import type { FaultBlock } from '../contract/faults.ts';

export type MockType = 'http' | 'websocket' | 'mqtt' | 'grpc';
export const MOCK_TYPES: readonly MockType[] = ['http', 'websocket', 'mqtt', 'grpc'];

/** Integer milliseconds or a string `<n>ms|s|m|h`. */
export type Duration = number | string;

export interface HttpMatcher {
  method?: string;
  path?: string;
  pathPattern?: string;
  headers?: Record<string, string>;
  queryParams?: Record<string, string>;
  bodyEquals?: string;
  bodyContains?: string;
  bodyPattern?: string;
  bodyJsonPath?: Record<string, unknown>;
  /** Client certificate the request came with on the HTTPS port (README "TLS"). */
  mtls?: MtlsMatcher;
}

/** Which verified client certificates an HTTP or WebSocket mock answers; every field set must hold. */
export interface MtlsMatcher {
  /** A verified certificate is required (implied by every other field). */
  requireAuth?: boolean;
  /** The issuer's common name. */
  issuer?: string;
  cn?: string;
  cnPattern?: string;
  o?: string;
  ou?: string;
  san?: { dns?: string; email?: string; ip?: string };
  fingerprint?: string;
}

/** TLS on an MQTT broker or a gRPC server; without files, mockd's own certificate (`--tls-cert`/`--tls-auto`). */
export interface MockTls {
  enabled: boolean;
  certFile?: string;
  keyFile?: string;
  /** CA that client certificates must chain to. */
  caFile?: string;
  requireClientCert?: boolean;
}

export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: unknown;
  bodyFile?: string;
  delayMs?: number;
  script?: string;
  scriptTimeoutMs?: number;
}

export interface SseEvent {
  type?: string;
  data: unknown;
  id?: string;
  retry?: number;
  comment?: string;
  delay?: number;
}

export interface SseSpec {
  events?: SseEvent[];
  generator?: {
    type: 'sequence' | 'random' | 'template';
    count?: number;
    sequence?: { start?: number; increment?: number; format?: string };
    random?: { schema: Record<string, string> };
    template?: { events: SseEvent[]; repeat?: number };
  };
  timing?: {
    initialDelay?: number;
    fixedDelay?: number;
    randomDelay?: { min: number; max: number };
    burst?: { count: number; interval: number; pause: number };
    perEventDelays?: number[];
  };
  lifecycle?: {
    keepaliveInterval?: number;
    maxEvents?: number;
    connectionTimeout?: number;
    termination?: {
      type?: 'graceful' | 'abrupt' | 'error';
      finalEvent?: { type?: string; data: unknown };
      closeDelay?: number;
    };
  };
  resume?: { enabled?: boolean; bufferSize?: number };
}

export interface HttpSpec {
  priority?: number;
  matcher: HttpMatcher;
  response?: HttpResponse;
  sse?: SseSpec;
  /** Documented alternatives a request picks with `Prefer: code=404` / `Prefer: example=name` (issue 22). */
  responses?: (HttpResponse & { name?: string })[];
  /** JSON Schemas the request must satisfy, else 400 with the JSON pointer and reason (issue 22). */
  validation?: HttpValidation;
  /** The n-th matching request gets the n-th response, the last repeating (issue 21; snapshots write it). */
  sequence?: HttpResponse[];
  /** Forward to a real upstream (issue 21). */
  proxy?: HttpProxy;
}

/** `record.redact` (default true): authorization, cookie, set-cookie, proxy-authorization and MQTT passwords are journaled redacted. */
export interface ProxyRecording {
  redact?: boolean;
}

export interface HttpProxy {
  upstream: string;
  headers?: Record<string, string>;
  stripPrefix?: string;
  record?: ProxyRecording;
}

export interface WebSocketProxy {
  upstream: string;
  record?: ProxyRecording;
}

export interface HttpValidation {
  pathParams?: JsonSchema;
  query?: JsonSchema;
  headers?: JsonSchema;
  body?: JsonSchema;
  bodyRequired?: boolean;
}

export type JsonSchema = boolean | Record<string, unknown>;

export interface WsResponse {
  type: 'text' | 'json' | 'binary';
  value: unknown;
  delay?: Duration;
}

export interface WsMatch {
  type: 'exact' | 'contains' | 'prefix' | 'suffix' | 'regex' | 'json';
  value?: unknown;
  path?: string;
  messageType?: 'text' | 'binary';
}

export interface WebSocketSpec {
  path: string;
  subprotocols?: string[];
  requireSubprotocol?: boolean;
  matchers?: { match: WsMatch; response?: WsResponse; noResponse?: boolean }[];
  defaultResponse?: WsResponse;
  echoMode?: boolean;
  scenario?: {
    name?: string;
    steps: {
      type: 'send' | 'expect' | 'wait';
      message?: WsResponse;
      match?: WsMatch;
      duration?: Duration;
      timeout?: Duration;
      optional?: boolean;
    }[];
    loop?: boolean;
  };
  heartbeat?: { enabled?: boolean; interval?: Duration; timeout?: Duration };
  idleTimeout?: Duration;
  maxMessageSize?: number;
  maxConnections?: number;
  /** Received text frames are checked against it; invalid ones are journaled `valid: false` (issue 22). */
  schema?: JsonSchema;
  /** Only clients whose certificate fits may upgrade (HTTPS port, README "TLS"). */
  mtls?: MtlsMatcher;
  /** Forward every client to its own upstream connection (issue 21). */
  proxy?: WebSocketProxy;
}

export interface MqttTopic {
  topic: string;
  qos?: 0 | 1 | 2;
  retain?: boolean;
  messages?: { payload: string; delay?: Duration; repeat?: boolean; interval?: Duration }[];
  onPublish?: { response?: { payload: string }; forward?: string };
  /** Received PUBLISH payloads are checked against it; invalid ones are journaled `valid: false` (issue 22). */
  schema?: JsonSchema;
}

export interface MqttSpec {
  port: number;
  auth?: {
    enabled?: boolean;
    users?: { username: string; password: string; acl?: { topic: string; access: string }[] }[];
  };
  topics?: MqttTopic[];
  /** Clients of this broker at once (0 or unset = unlimited); one more CONNECT gets CONNACK 3. */
  maxConnections?: number;
  /** Largest PUBLISH payload in bytes (0 or unset = the protocol's 268435455); a larger one disconnects the client. */
  maxMessageSize?: number;
  /** MQTT over TLS: on `port` alone, or on `tlsPort` next to a plain `port`. */
  tls?: MockTls;
  tlsPort?: number;
  /** Bridge `topics` (default `#`) both ways with a real broker (issue 21). */
  proxy?: { upstream: string; topics?: string[]; record?: ProxyRecording };
}

export interface GrpcMethodConfig {
  response?: unknown;
  responses?: unknown[];
  delay?: Duration;
  streamDelay?: Duration;
  error?: { code: string; message?: string };
  match?: { metadata?: Record<string, string>; request?: Record<string, unknown> };
  variants?: GrpcMethodConfig[];
}

export interface GrpcSpec {
  port: number;
  protoFile?: string;
  protoFiles?: string[];
  protoContent?: string;
  importPaths?: string[];
  reflection?: boolean;
  services?: Record<string, { methods: Record<string, GrpcMethodConfig> }>;
  /** Streaming RPCs of this mock at once (0 or unset = unlimited); one more gets RESOURCE_EXHAUSTED. */
  maxConnections?: number;
  /** Largest message in bytes, either way (0 or unset = grpc-js defaults: 4 MiB received, unlimited sent). */
  maxMessageSize?: number;
  tls?: MockTls;
  /** Forward every method of the protos to a real server (issue 21). */
  proxy?: { upstream: string; record?: ProxyRecording };
}

export interface Mock {
  id: string;
  type: MockType;
  name: string;
  description: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  http?: HttpSpec;
  websocket?: WebSocketSpec;
  mqtt?: MqttSpec;
  grpc?: GrpcSpec;
  /** Faults for this mock's requests and new connections (README "Faults and chaos"). */
  faults?: FaultBlock;
  /** What a change does to the mock's live connections (README "Mock changes"); unset = `close`. */
  onChange?: OnChange;
  /** With `onChange: "drain"`: how long the old version's connections may stay (default 30 s). */
  drainTimeoutMs?: number;
}

/** `close` ends live connections on a change (the default), `drain` lets them finish on the old version, `keep` moves them on. */
export type OnChange = 'close' | 'drain' | 'keep';
export const ON_CHANGE_POLICIES: readonly OnChange[] = ['close', 'drain', 'keep'];

/** A handler kind as listed by `/handlers`: SSE is an http mock with `http.sse`. */
export type HandlerKind = 'websocket' | 'sse' | 'mqtt' | 'grpc';

export function isSseMock(mock: Mock): boolean {
  return mock.type === 'http' && mock.http?.sse !== undefined;
}
