// gRPC entries of the request journal (contract §12): one `call` entry per RPC, written as it ends with the numeric
// status; streaming RPCs add one `message` entry per message in each direction, carrying the stream's id. Callers
// check `journal.enabled` first, so nothing here is built while the journal is off.
//
// `matched` is false (and `mockId` absent, as for an unmatched HTTP request) when no configuration of the mock
// answered: a method in the protos the mock does not list, or a listed one where no candidate's `match` held. Both
// end UNIMPLEMENTED "no mock configured for …" and do not count as calls of the mock for verify.

import type { TlsInfo } from '../../contract/tls.ts';
import { journal } from '../../journal/recorder.ts';
import type { GrpcBlock } from '../../journal/types.ts';
import type { CallHandle, ServerCallLike } from './call-handle.ts';
import { firstMetadataOf } from './metadata.ts';
import { undecodableReason } from './decode.ts';
import type { GrpcStream } from './manager.ts';
import type { AnyMethodDefinition } from './proto.ts';

export type GrpcCallType = GrpcBlock['streamType'];

/** What the journal needs to know of a configured method (its MethodContext has it). */
export interface JournaledMethod {
  mockId: string;
  /** `/pkg.Svc/M` */
  path: string;
  callType: GrpcCallType;
  /** The TLS facts of a call's connection (README "TLS"). */
  tlsOf?: (clientAddr: string) => TlsInfo | undefined;
}
type GrpcRecord = Parameters<typeof journal.grpc>[0];

export function streamTypeOf(method: Pick<AnyMethodDefinition, 'requestStream' | 'responseStream'>): GrpcCallType {
  if (method.requestStream && method.responseStream) return 'bidi';
  if (method.requestStream) return 'client_stream';
  if (method.responseStream) return 'server_stream';
  return 'unary';
}

/** The unary request as decoded; an undecodable one (answered INVALID_ARGUMENT) has no body to show. */
function unaryBody(call: ServerCallLike): unknown {
  const request = (call as ServerCallLike & { request?: unknown }).request;
  return undecodableReason(request) === undefined ? request : undefined;
}

/**
 * The journal keeps the record it is given and builds the entry when read, so the record is built here in the
 * entry's key order and never touched again; the body is the decoded request itself, which nothing mutates.
 */
function recordCall(
  mockId: string | undefined,
  method: string,
  streamType: GrpcCallType,
  streamId: string | undefined,
  statusCode: number,
  call: ServerCallLike,
  tls?: TlsInfo,
): void {
  const record: GrpcRecord = mockId !== undefined
    ? { mockId, matched: true, method, streamType, kind: 'call', statusCode }
    : { matched: false, method, streamType, kind: 'call', statusCode };
  if (streamId !== undefined) record.streamId = streamId;
  if (streamType === 'unary') {
    const body = unaryBody(call);
    if (body !== undefined) record.body = body;
  }
  record.metadata = firstMetadataOf(call);
  if (tls) record.tls = tls;
  journal.grpc(record);
}

/** The `call` entry of a configured method's RPC, once its status is known (see CallHandle.onEnd). */
export function journalCall(ctx: JournaledMethod, handle: CallHandle, statusCode: number): void {
  recordCall(handle.unmatched ? undefined : ctx.mockId, ctx.path, ctx.callType, handle.streamId, statusCode, handle.call, ctx.tlsOf?.(handle.clientAddr));
}

/** The `call` entry of a method the mock does not list, answered UNIMPLEMENTED at once. */
export function journalUnlistedCall(method: AnyMethodDefinition, call: ServerCallLike, statusCode: number): void {
  recordCall(undefined, method.path, streamTypeOf(method), undefined, statusCode, call);
}

/**
 * The last `message` record. A stream that sends the same configured message again (a server stream of identical
 * `responses`, a bidi reply that repeats) records the same record object again: the journal keeps records as given
 * and never changes them, so entries may share one, and each keeps only its id and time.
 */
let previousMessage: GrpcRecord | undefined;

/** One streamed message, `in` from the client or `out` to it, with its decoded body. */
export function journalMessage(ctx: JournaledMethod, stream: GrpcStream, direction: 'in' | 'out', body: unknown): void {
  const p = previousMessage;
  if (p !== undefined && p.body === body && p.streamId === stream.id && p.direction === direction && p.mockId === ctx.mockId) {
    journal.grpc(p);
    return;
  }
  previousMessage = {
    mockId: ctx.mockId,
    matched: true,
    method: ctx.path,
    streamType: stream.streamType,
    streamId: stream.id,
    kind: 'message',
    direction,
    body,
    ...(stream.tls ? { tls: stream.tls } : {}),
  };
  journal.grpc(previousMessage);
}
