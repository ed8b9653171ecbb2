// gRPC entries of the request journal (contract §12): one `call` entry per RPC, written as it ends with the numeric
// status; streaming RPCs add one `message` entry per message in each direction, carrying the stream's id. Callers
// check `journal.enabled` first, so nothing here is built while the journal is off.
//
// `matched` is false (and `mockId` absent, as for an unmatched HTTP request) when no configuration of the mock
// answered: a method in the protos the mock does not list, or a listed one where no candidate's `match` held. Both
// end UNIMPLEMENTED "no mock configured for …" and do not count as calls of the mock for verify.

import { journal } from '../../journal/recorder.ts';
import type { GrpcBlock } from '../../journal/types.ts';
import { metadataOf, type CallHandle, type ServerCallLike } from './call-handle.ts';
import { undecodableReason } from './decode.ts';
import type { GrpcStream } from './manager.ts';
import type { MethodContext } from './method-context.ts';
import type { AnyMethodDefinition } from './proto.ts';

export type GrpcCallType = GrpcBlock['streamType'];

export function streamTypeOf(method: Pick<AnyMethodDefinition, 'requestStream' | 'responseStream'>): GrpcCallType {
  if (method.requestStream && method.responseStream) return 'bidi';
  if (method.requestStream) return 'client_stream';
  if (method.responseStream) return 'server_stream';
  return 'unary';
}

/** Request metadata as key → first value (binary values as base64). */
function firstMetadata(call: ServerCallLike): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, values] of Object.entries(metadataOf(call))) if (values[0] !== undefined) out[key] = values[0];
  return out;
}

/** The unary request as decoded; an undecodable one (answered INVALID_ARGUMENT) has no body to show. */
function unaryBody(call: ServerCallLike): unknown {
  const request = (call as ServerCallLike & { request?: unknown }).request;
  return undecodableReason(request) === undefined ? request : undefined;
}

function recordCall(
  fields: { mockId?: string; method: string; streamType: GrpcCallType; streamId?: string; statusCode: number },
  call: ServerCallLike,
): void {
  const block: GrpcBlock = { method: fields.method, streamType: fields.streamType, kind: 'call', statusCode: fields.statusCode };
  if (fields.streamId !== undefined) block.streamId = fields.streamId;
  if (fields.streamType === 'unary') {
    const body = unaryBody(call);
    if (body !== undefined) block.body = body;
  }
  block.metadata = firstMetadata(call);
  journal.grpc({ ...(fields.mockId !== undefined ? { mockId: fields.mockId } : {}), matched: fields.mockId !== undefined, ...block });
}

/** The `call` entry of a configured method's RPC, once its status is known (see CallHandle.onEnd). */
export function journalCall(ctx: MethodContext, call: ServerCallLike, handle: CallHandle, streamType: GrpcCallType, statusCode: number): void {
  recordCall(
    { mockId: handle.unmatched ? undefined : ctx.mockId, method: ctx.path, streamType, streamId: handle.streamId, statusCode },
    call,
  );
}

/** The `call` entry of a method the mock does not list, answered UNIMPLEMENTED at once. */
export function journalUnlistedCall(method: AnyMethodDefinition, call: ServerCallLike, statusCode: number): void {
  recordCall({ method: method.path, streamType: streamTypeOf(method), statusCode }, call);
}

/** One streamed message, `in` from the client or `out` to it, with its decoded body. */
export function journalMessage(ctx: MethodContext, stream: GrpcStream, direction: 'in' | 'out', body: unknown): void {
  journal.grpc({
    mockId: ctx.mockId,
    matched: true,
    method: ctx.path,
    streamType: stream.streamType,
    streamId: stream.id,
    kind: 'message',
    direction,
    body,
  });
}
