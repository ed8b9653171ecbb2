// Unary RPCs (contract §7): wait `delay`, then answer `error` if set, otherwise `response`. Not tracked as a stream,
// and counted only in `totalRPCs` (by startCall): the message counters are the streams' (contract §7 "Tracking").
// Without a delay the call is answered inside the handler, as a bare grpc-js handler would.

import type { handleUnaryCall } from '@grpc/grpc-js';
import type { CallHandle, ServerCallLike } from './call-handle.ts';
import { undecodableReason } from './decode.ts';
import { startCall, type MethodContext } from './method-context.ts';
import { renderPrepared, selectCandidate, type Candidate } from './method-plan.ts';
import { failWithConfiguredError, failWithNoMock } from './response.ts';
import { GRPC_STATUS } from './status-codes.ts';

export function createUnaryHandler(ctx: MethodContext): handleUnaryCall<object, object> {
  return (call, callback) => {
    const handle = startCall(ctx, call, callback);
    const request = call.request;
    const bad = undecodableReason(request);
    if (bad) return void handle.fail(GRPC_STATUS.INVALID_ARGUMENT, bad);
    const candidate = selectCandidate(ctx.plan, call, request);
    if (!candidate) return failWithNoMock(handle, ctx.path);
    if (candidate.delayMs > 0) {
      handle.keepIn(ctx.inflight);
      void handle.wait(candidate.delayMs).then((live) => live && answer(ctx, handle, candidate, call, request));
    } else {
      answer(ctx, handle, candidate, call, request);
    }
  };
}

function answer(ctx: MethodContext, handle: CallHandle, candidate: Candidate, call: ServerCallLike, request: unknown): void {
  if (candidate.error) return failWithConfiguredError(handle, candidate.error);
  handle.succeed(renderPrepared(candidate.reply, call, request));
}
