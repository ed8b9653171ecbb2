// Faults and chaos (README "Faults and chaos"): plain data both threads share. A fault on a live connection, the
// per-mock `faults` block, the HTTP fault kinds, latency distributions and the chaos configuration with its rules.

/** The connection protocols (as in protocols.ts, which imports this file, so it is not imported back). */
type Protocol = 'websocket' | 'sse' | 'mqtt' | 'grpc';

/** What a fault does to one live connection. Which kinds mean something depends on the protocol (FAULT_KINDS). */
export type ConnectionFaultKind = 'reset' | 'drop' | 'stall' | 'delay' | 'drop-messages' | 'close' | 'drop-puback' | 'goaway';

/** What a fault does to one HTTP exchange. */
export type HttpFaultKind = 'reset' | 'empty' | 'malformed-chunk' | 'random-data-then-close';

export const CONNECTION_FAULT_KINDS: readonly ConnectionFaultKind[] = ['reset', 'drop', 'stall', 'delay', 'drop-messages', 'close', 'drop-puback', 'goaway'];
export const HTTP_FAULT_KINDS: readonly HttpFaultKind[] = ['reset', 'empty', 'malformed-chunk', 'random-data-then-close'];

/** The kinds each protocol accepts. */
export const FAULT_KINDS: { readonly [P in Protocol]: readonly ConnectionFaultKind[] } = {
  websocket: ['reset', 'drop', 'stall', 'delay', 'drop-messages', 'close'],
  sse: ['reset', 'drop', 'stall', 'delay', 'drop-messages', 'close'],
  mqtt: ['reset', 'drop', 'stall', 'delay', 'drop-messages', 'close', 'drop-puback'],
  grpc: ['reset', 'drop', 'stall', 'delay', 'drop-messages', 'close', 'goaway'],
};

/** Kinds that last until lifted (or `durationMs` passes); the others happen once. */
export const LASTING_KINDS: readonly ConnectionFaultKind[] = ['stall', 'delay', 'drop-messages', 'drop-puback'];

/** `POST /<protocol>/connections/{id}/fault`. */
export interface ConnectionFault {
  kind: ConnectionFaultKind;
  /** stall, delay, drop-puback: lift by themselves after this long (unset: until `DELETE`). */
  durationMs?: number;
  /** delay: extra latency per outbound message. */
  delayMs?: number;
  /** drop-messages: how many of the next outbound messages are dropped (default 1); drop-puback: how many PUBACKs (default: all). */
  count?: number;
  /** close: WebSocket close code (default 1000), gRPC status code (default 14 UNAVAILABLE). */
  code?: number;
  /** close: close reason / gRPC status details. */
  reason?: string;
  /** close on SSE: the `retry:` (ms) sent before the stream ends. */
  retryMs?: number;
}

/**
 * Latency: a number is fixed milliseconds; a distribution is drawn per request (HTTP) or per message (connections).
 * lognormal: `median` ms and `sigma` (the standard deviation of ln(latency)).
 */
export type LatencySpec =
  | number
  | { type: 'fixed'; ms: number }
  | { type: 'uniform'; min: number; max: number }
  | { type: 'lognormal'; median: number; sigma: number };

/**
 * The per-mock `faults` block and the body of a chaos rule. On HTTP: `fault` is an HTTP kind, `latency` delays the
 * response, `errorRate` answers `errorStatus` (default 503) with that probability, `bandwidth` caps bytes/s of the body.
 * On connections: `fault` (with its parameters) applies to every new connection, `latency` delays each outbound
 * message, `errorRate` drops each outbound message with that probability, `bandwidth` is not used.
 */
export interface FaultBlock extends Omit<ConnectionFault, 'kind'> {
  fault?: HttpFaultKind | ConnectionFaultKind;
  latency?: LatencySpec;
  errorRate?: number;
  errorStatus?: number;
  /** Bytes per second. */
  bandwidth?: number;
}

export interface ChaosMatch {
  protocol?: 'http' | Protocol;
  mockId?: string;
  /** An exact path or a prefix ending in `*` (`/api/*`). */
  path?: string;
}

export interface ChaosRule extends FaultBlock {
  match: ChaosMatch;
}

/** `GET|PUT /chaos`. The top-level fault fields apply to everything; rules add to them where they match. */
export interface ChaosConfig extends FaultBlock {
  enabled: boolean;
  rules: ChaosRule[];
  /** The profile last applied, when the config came from one. */
  profile?: string;
}

/** What one worker counted since chaos was last configured; the coordinator sums the members. */
export interface ChaosCounts {
  requests: number;
  delayed: number;
  errors: number;
  faults: number;
  throttled: number;
  connectionFaults: number;
  messagesDelayed: number;
  messagesDropped: number;
}

export const ZERO_CHAOS_COUNTS: ChaosCounts = {
  requests: 0, delayed: 0, errors: 0, faults: 0, throttled: 0, connectionFaults: 0, messagesDelayed: 0, messagesDropped: 0,
};

/** What a fault did, on `/events` as `fault.applied` / `fault.lifted`. */
export interface FaultEvent {
  type: 'fault.applied' | 'fault.lifted';
  protocol: 'http' | Protocol;
  /** The connection; absent for an HTTP request. */
  id?: string;
  mockId: string;
  kind: string;
  /** Who asked: the admin route, the mock's `faults` block, or chaos. */
  source: 'admin' | 'mock' | 'chaos';
}

export const DISABLED_CHAOS: ChaosConfig = { enabled: false, rules: [] };
