// WebSocket close codes mockd sends (RFC 6455 §7.4.1 and the IANA "WebSocket Close Code Number" registry, §11.7),
// each with the reason text of contract §1 and §5.

import type { CloseReason } from '../../contract/protocols.ts';

export interface CloseFrame {
  code: number;
  reason: string;
}

/** 1000 Normal Closure: an admin closed the connection (one, or all of a mock's). */
export const CLOSED_BY_API: CloseFrame = { code: 1000, reason: 'closed by API' };

/** 1001 Going Away: the server is shutting down. */
export const SERVER_SHUTTING_DOWN: CloseFrame = { code: 1001, reason: 'server shutting down' };

/** 1001 Going Away: no pong arrived within the heartbeat timeout. */
export const PING_TIMEOUT: CloseFrame = { code: 1001, reason: 'ping timeout' };

/** 1001 Going Away: the client sent nothing for `idleTimeout`. */
export const IDLE_TIMEOUT: CloseFrame = { code: 1001, reason: 'idle timeout' };

/** 1009 Message Too Big: a frame (or fragmented message) exceeded `maxMessageSize`. */
export const MESSAGE_TOO_BIG: CloseFrame = { code: 1009, reason: 'message too big' };

/**
 * 1012 is "Service Restart" in the IANA close-code registry (RFC 6455 §11.7): the service is restarting and clients
 * should reconnect. mockd sends it when the connection's mock is updated, disabled or deleted (contract §9.6).
 */
export const MOCK_UPDATED: CloseFrame = { code: 1012, reason: 'mock updated' };

/** The goodbye for each reason a ConnectionRegistry may close a connection with. */
export const CLOSE_FOR_REASON: Record<CloseReason, CloseFrame> = {
  admin: CLOSED_BY_API,
  mock_changed: MOCK_UPDATED,
  shutdown: SERVER_SHUTTING_DOWN,
  server: { code: 1011, reason: 'server error' },
  client: { code: 1000, reason: '' },
};
