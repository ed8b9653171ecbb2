// What every RPC handler of one configured method shares, and how a call starts: counted in totalRPCs, kept in the
// server's in-flight set (for goodbyes on mock change and shutdown), and tracked as a stream when it is one (§9.5).
// Everything a call can share is built here once per method, so starting a call allocates only its CallHandle.

import type { TlsInfo } from '../../contract/tls.ts';
import type { sendUnaryData } from '@grpc/grpc-js';
import { journal } from '../../journal/recorder.ts';
import { metrics } from '../../metrics/collector.ts';
import { CallHandle, type CallEndHook, type ServerCallLike } from './call-handle.ts';
import { journalCall, journalMessage, type GrpcCallType } from './journal.ts';
import type { GrpcConnectionManager, GrpcStream, GrpcStreamType } from './manager.ts';
import type { MethodPlan } from './method-plan.ts';
import { GRPC_STATUS, isAdminCancel } from './status-codes.ts';
import { grpcFaultTarget } from './fault-target.ts';
import { STREAMS_EXHAUSTED_DETAILS, type StreamLimit } from './stream-limit.ts';

export interface MethodContext {
  mockId: string;
  /** `/pkg.Svc/M` */
  path: string;
  callType: GrpcCallType;
  /** The method's config, compiled (method-plan.ts). */
  plan: MethodPlan;
  manager: GrpcConnectionManager;
  /** Every call still open on this server after its handler returned, so a mock change or shutdown can end each with UNAVAILABLE. */
  inflight: Set<CallHandle>;
  /** The server's stream caps (`maxConnections`, `--max-connections`). */
  streams: StreamLimit;
  /** Writes the call's journal entry as it ends (contract §12). */
  journalEnd: CallEndHook;
  /** The TLS facts of a call's connection, when the server speaks TLS (README "TLS"). */
  tlsOf?: (clientAddr: string) => TlsInfo | undefined;
}

export function createMethodContext(fields: Omit<MethodContext, 'journalEnd'>): MethodContext {
  const ctx: MethodContext = {
    ...fields,
    journalEnd: (handle, statusCode) => {
      metrics.request('grpc', handle.unmatched ? undefined : ctx.mockId, statusCode, (performance.now() - handle.startedAt) / 1000);
      if (journal.enabled) journalCall(ctx, handle, statusCode);
    },
  };
  return ctx;
}

/**
 * Starts any call; `callback` is grpc-js's for unary and client-stream calls, which end through it. A call that
 * stays open past its handler joins the server's in-flight set (CallHandle.keepIn).
 */
export function startCall(ctx: MethodContext, call: ServerCallLike, callback?: sendUnaryData<object>): CallHandle {
  ctx.manager.countRpc();
  const handle = new CallHandle(call, callback);
  // One `call` entry per RPC, written as it ends with its status (contract §12).
  if (journal.enabled || metrics.enabled) handle.onEnd = ctx.journalEnd;
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
  callback?: sendUnaryData<object>,
): { handle: CallHandle; stream: GrpcStream } | undefined {
  const handle = startCall(ctx, call, callback);
  if (!ctx.streams.admit()) {
    metrics.refused('grpc', ctx.mockId);
    handle.fail(GRPC_STATUS.RESOURCE_EXHAUSTED, STREAMS_EXHAUSTED_DETAILS);
    return undefined;
  }
  const streamType = ctx.callType as GrpcStreamType;
  handle.keepIn(ctx.inflight);
  ctx.streams.track(handle.gone);
  const stream = ctx.manager.open(
    { mockId: ctx.mockId, method: ctx.path, streamType, clientAddr: handle.clientAddr, tls: ctx.tlsOf?.(handle.clientAddr) },
    (reason) => {
      // Counted when the goodbye is really sent: a stream that ended on its own meanwhile was not cancelled.
      if (handle.isLive && isAdminCancel(reason)) ctx.manager.countCancelled();
      return handle.goodbye(reason);
    },
    grpcFaultTarget(handle),
  );
  handle.streamId = stream.id;
  // A half-close ends client-stream and bidi calls, so their normal end is the client's doing.
  void handle.gone.then(() => {
    const byClient = handle.endedByClient || (handle.endedOk && streamType !== 'server_stream');
    ctx.manager.gone(stream, byClient ? 'client' : 'server');
  });
  return { handle, stream };
}

/** Counts a message received on a stream and journals it (§12: one `message` entry per streamed message). */
export function countReceived(ctx: MethodContext, stream: GrpcStream, message: unknown): void {
  ctx.manager.countRecv(stream);
  metrics.message('grpc', ctx.mockId, 'in', 0);
  if (journal.enabled) journalMessage(ctx, stream, 'in', message);
}

/** Counts a message sent on a stream and journals it. */
export function countSent(ctx: MethodContext, stream: GrpcStream, message: object): void {
  ctx.manager.countSent(stream);
  metrics.message('grpc', ctx.mockId, 'out', 0);
  if (journal.enabled) journalMessage(ctx, stream, 'out', message);
}

/**
 * Faults before one outbound message (README "Faults and chaos"): false when it is dropped; otherwise resolves true
 * once its delay passed, or false when the call ended meanwhile.
 */
export async function passFaults(ctx: MethodContext, handle: CallHandle, stream: GrpcStream): Promise<boolean> {
  const stalled = ctx.manager.stalledUntil(stream.id);
  if (stalled) await Promise.race([stalled, handle.gone]);
  if (!handle.isLive) return false;
  const hold = ctx.manager.outbound(stream.id);
  if (hold === false) return false;
  return hold === 0 || handle.wait(hold);
}
