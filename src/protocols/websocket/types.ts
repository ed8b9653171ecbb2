// The WebSocket connection record and stats exactly as contract §9.2 shows them: property names are the JSON names,
// so the admin API sends these objects as they are.

import type { TlsInfo } from '../../contract/tls.ts';

export interface WsConnection {
  id: string;
  mockId: string;
  path: string;
  /** The client's `ip:port`, as SSE records carry it (§9.3). */
  clientIp: string;
  /** The subprotocol chosen in the handshake (§5); left out when none was. */
  subprotocol?: string;
  connectedAt: string;
  /** Data frames sent to the client (responses, echoes, scenario sends, admin sends); not ping, pong or close. */
  messagesSent: number;
  /** Data frames received from the client. */
  messagesRecv: number;
  status: 'connected';
  /** Present when the client connected over TLS (wss://, README "TLS"). */
  tls?: TlsInfo;
}

export interface WsStats {
  /** Cumulative since the worker started. */
  totalConnections: number;
  activeConnections: number;
  totalMessagesSent: number;
  totalMessagesRecv: number;
  /** Mock id → active connections; mocks with none are left out. */
  connectionsByMock: Record<string, number>;
  /** Live connections that came over TLS. */
  tlsConnections?: number;
}

/** Frame types of §5 matchers and of the admin send route (§9.2). */
export type WsFrameType = 'text' | 'binary';
