// What every RPC handler of one configured method shares, and how a call starts: counted in totalRPCs, kept in the
// server's in-flight set (for goodbyes on mock change and shutdown), and tracked as a stream when it is one (§9.5).

import type { Writable } from 'node:stream';
import type { sendUnaryData } from '@grpc/grpc-js';
import { journal } from '../../journal/recorder.ts';
import type { GrpcMethodConfig } from '../../mocks/types.ts';
import { CallHandle, type CallEnder, type ServerCallLike } from './call-handle.ts';
import { journalCall, journalMessage, type GrpcCallType } from './journal.ts';
import type { GrpcConnectionManager, GrpcStream, GrpcStreamType } from './manager.ts';
import { GRPC_STATUS } from './status-codes.ts';
import { STREAMS_EXHAUSTED_DETAILS, type StreamLimit } from './stream-limit.ts';

export interface MethodContext {
  mockId: string;
  /** `/pkg.Svc/M` */
  path: string;
  config: GrpcMethodConfig;
  manager: GrpcConnectionManager;
  /** Every call in flight on this server, so a mock change or shutdown can end each with UNAVAILABLE. */
  inflight: Set<CallHandle>;
  /** The server's stream caps (`maxConnections`, `--max-connections`). */
  streams: StreamLimit;
}

export function startCall(ctx: MethodContext, call: ServerCallLike, ender: CallEnder, type: GrpcCallType = 'unary'): CallHandle {
  ctx.manager.countRpc();
  const handle = new CallHandle(call, ender);
  // One `call` entry per RPC, written as it ends with its status (contract §12).
  if (journal.enabled) handle.onEnd = (statusCode) => journalCall(ctx, call, handle, type, statusCode);
  ctx.inflight.add(handle);
  void handle.gone.then(() => ctx.inflight.delete(handle));
  return handle;
}

/**
 * Starts a streaming call and tracks it, or, when a stream cap is reached, ends it at once with RESOURCE_EXHAUSTED
 * and returns undefined. A refused stream is never listed and not in totalStreams; like every RPC it counts in
 * totalRPCs and is journaled.
 */
export function startStream(
  ctx: MethodContext,
  call: ServerCallLike,
  ender: CallEnder,
  streamType: GrpcStreamType,
): { handle: CallHandle; stream: GrpcStream } | undefined {
  const handle = startCall(ctx, call, ender, streamType);
  if (ctx.streams.isFull(ctx.manager)) {
    handle.fail(GRPC_STATUS.RESOURCE_EXHAUSTED, STREAMS_EXHAUSTED_DETAILS);
    return undefined;
  }
  ctx.streams.track(handle.gone);
  const stream = ctx.manager.open(
    { mockId: ctx.mockId, method: ctx.path, streamType, clientAddr: handle.clientAddr },
    { get isLive() { return handle.isLive; }, goodbye: (reason) => handle.goodbye(reason) },
  );
  handle.streamId = stream.id;
  // A half-close ends client-stream and bidi calls, so their normal end is the client's doing.
  void handle.gone.then(() => {
    const byClient = handle.endedByClient || (handle.endedOk && streamType !== 'server_stream');
    ctx.manager.ended(stream.id, byClient ? 'client' : 'server');
  });
  return { handle, stream };
}

/** Counts a message received on a stream and journals it (§12: one `message` entry per streamed message). */
export function countReceived(ctx: MethodContext, stream: GrpcStream, message: unknown): void {
  ctx.manager.countRecv(stream);
  if (journal.enabled) journalMessage(ctx, stream, 'in', message);
}

/** Counts a message sent on a stream and journals it. */
export function countSent(ctx: MethodContext, stream: GrpcStream, message: object): void {
  ctx.manager.countSent(stream);
  if (journal.enabled) journalMessage(ctx, stream, 'out', message);
}

/** Unary and client-stream calls end through grpc-js's callback. */
export function callbackEnder(callback: sendUnaryData<object>): CallEnder {
  return {
    fail: (code, details) => callback({ code, details }),
    succeed: (response) => callback(null, response ?? {}),
  };
}

/** Server-stream and bidi calls end with `end()` (OK) or an emitted 'error' carrying the status (call-handle.ts). */
export function streamEnder(call: Writable): CallEnder {
  return {
    fail: (code, details) => call.emit('error', { code, details }),
    succeed: () => call.end(),
  };
}
