// What faults reach on a gRPC stream (README "Faults and chaos"): the HTTP/2 session under the call, its TCP socket,
// the call's own status, and GOAWAY. grpc-js keeps the HTTP/2 stream inside its call objects (ServerInterceptingCall →
// BaseServerInterceptingCall.stream); there is no public accessor, so it is looked up defensively and a fault that
// cannot reach it does nothing rather than fail. A stall pauses the call (its session reads the socket natively, so
// pausing the socket would not stop it) and holds the call's replies until it is lifted.

import type { Http2Session, ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import type { FaultTarget } from '../faults/connection-faults.ts';
import type { CallHandle } from './call-handle.ts';
import { GRPC_STATUS } from './status-codes.ts';

function http2StreamOf(call: unknown): ServerHttp2Stream | undefined {
  let layer = (call as { call?: unknown }).call as { stream?: ServerHttp2Stream; nextCall?: unknown } | undefined;
  for (let depth = 0; layer && depth < 8; depth++) {
    if (layer.stream) return layer.stream;
    layer = layer.nextCall as typeof layer;
  }
  return undefined;
}

/**
 * The session's own socket. `session.socket` is a proxy that refuses pause/resume (ERR_HTTP2_NO_SOCKET_MANIPULATION),
 * and a stall must stop reading, so the socket is taken from the session's `socket` symbol slot when it is there.
 */
function socketOf(session: Http2Session | undefined): Socket | undefined {
  if (!session) return undefined;
  const slot = Object.getOwnPropertySymbols(session).find((s) => s.description === 'socket');
  const raw = slot ? (session as unknown as Record<symbol, unknown>)[slot] : undefined;
  return (raw as Socket | undefined) ?? (session.socket as Socket);
}

export function grpcFaultTarget(handle: CallHandle): FaultTarget {
  const session = () => http2StreamOf(handle.call)?.session;
  return {
    socket: () => socketOf(session()),
    closeWith: (fault) => void handle.fail(fault.code ?? GRPC_STATUS.UNAVAILABLE, fault.reason ?? 'closed by fault'),
    stall: (on) => {
      const call = handle.call as unknown as { pause?(): void; resume?(): void };
      if (on) call.pause?.();
      else call.resume?.();
    },
    goaway: () => {
      const s = session();
      if (!s || s.destroyed) return;
      // A server going away (RFC 9113 §6.8): GOAWAY tells the client to open no new stream on this connection, the
      // stream in flight ends UNAVAILABLE (the status grpc-js clients retry on), and the session closes once its
      // streams are done, so the client's next call reconnects.
      s.goaway();
      handle.fail(GRPC_STATUS.UNAVAILABLE, 'server sent GOAWAY');
      s.close();
    },
  };
}
