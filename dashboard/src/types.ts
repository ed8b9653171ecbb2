// The admin API's JSON shapes the dashboard reads (contract §2, §8.4, §9). Property names are the contract's.

import type { Protocol } from '../../src/contract/protocols.ts';

export { PROTOCOLS, type Protocol } from '../../src/contract/protocols.ts';
import type { TlsInfo } from '../../src/contract/tls.ts';
export type { TlsInfo } from '../../src/contract/tls.ts';

export interface WsConnection {
  id: string;
  mockId: string;
  path: string;
  clientIp?: string;
  subprotocol?: string;
  connectedAt: string;
  messagesSent: number;
  messagesRecv: number;
  status: string;
  worker?: string;
  /** Present for a TLS connection (README "TLS"). */
  tls?: TlsInfo;
}

export interface SseConnection {
  id: string;
  mockId: string;
  path: string;
  clientIp: string;
  userAgent?: string;
  connectedAt: string;
  eventsSent: number;
  bytesSent: number;
  status: string;
  worker?: string;
  /** Present for a TLS connection (README "TLS"). */
  tls?: TlsInfo;
}

export interface MqttConnection {
  id: string;
  mockId: string;
  brokerId: string;
  port: number;
  connectedAt: string;
  subscriptions: string[];
  protocolVersion: number;
  username?: string;
  remoteAddr: string;
  status: string;
  worker?: string;
  /** Present for a TLS connection (README "TLS"). */
  tls?: TlsInfo;
}

export interface GrpcStream {
  id: string;
  mockId: string;
  method: string;
  streamType: 'client_stream' | 'server_stream' | 'bidi';
  clientAddr: string;
  connectedAt: string;
  messagesSent: number;
  messagesRecv: number;
  worker?: string;
  /** Present for a TLS connection (README "TLS"). */
  tls?: TlsInfo;
}

export interface ConnectionOf {
  websocket: WsConnection;
  sse: SseConnection;
  mqtt: MqttConnection;
  grpc: GrpcStream;
}

export type AnyConnection = ConnectionOf[Protocol];

/** Stats differ per protocol (§9.2–§9.5); the dashboard reads them as loose numeric maps plus connectionsByMock. */
export interface Stats {
  connectionsByMock: Record<string, number>;
  [counter: string]: number | boolean | Record<string, number>;
}

export type StatsByProtocol = Partial<Record<Protocol, Stats>>;

export interface Mock {
  id: string;
  type: 'http' | 'websocket' | 'mqtt' | 'grpc';
  name: string;
  enabled: boolean;
  http?: { matcher: { method?: string; path?: string; pathPattern?: string }; sse?: unknown; proxy?: { upstream: string } };
  websocket?: { path: string; proxy?: { upstream: string } };
  mqtt?: { port: number; topics?: { topic: string }[]; proxy?: { upstream: string } };
  grpc?: { port: number; services?: Record<string, unknown>; proxy?: { upstream: string } };
}

export interface Handler {
  id: string;
  type: Protocol;
  port: number;
  path: string;
  status: 'running' | 'error';
  error?: string;
  connections: number;
  version: number;
}
