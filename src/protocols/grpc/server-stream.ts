// Server-streaming RPCs (contract §7): wait `delay`; with `error` end with it, otherwise send `responses` (or
// `[response]`), the first at once and the rest `streamDelay` apart, then end OK. Without delays every message is
// written inside the handler, as a bare grpc-js handler would.

import type { handleServerStreamingCall, ServerWritableStream } from '@grpc/grpc-js';
import type { CallHandle } from './call-handle.ts';
import { undecodableReason } from './decode.ts';
import type { GrpcStream } from './manager.ts';
import { countReceived, countSent, passFaults, startStream, type MethodContext } from './method-context.ts';
import { renderPrepared, selectCandidate, type Candidate } from './method-plan.ts';
import { failWithConfiguredError, failWithNoMock } from './response.ts';
import { GRPC_STATUS } from './status-codes.ts';

type Call = ServerWritableStream<object, object>;

export function createServerStreamHandler(ctx: MethodContext): handleServerStreamingCall<object, object> {
  return (call) => {
    const started = startStream(ctx, call);
    if (!started) return;
    const { handle, stream } = started;
    const request = call.request;
    const bad = undecodableReason(request);
    if (bad) return void handle.fail(GRPC_STATUS.INVALID_ARGUMENT, bad);
    countReceived(ctx, stream, request);
    const candidate = selectCandidate(ctx.plan, call, request);
    if (!candidate) return failWithNoMock(handle, ctx.path);
    if (candidate.delayMs > 0 || (candidate.streamDelayMs > 0 && !candidate.error && candidate.messages.length > 1) || ctx.manager.isFaulted(stream.id)) {
      void sendPaced(ctx, handle, stream, candidate, call);
      return;
    }
    if (candidate.error) return failWithConfiguredError(handle, candidate.error);
    for (const message of candidate.messages) send(ctx, stream, call, renderPrepared(message, call, request));
    handle.succeed();
  };
}

/** The same steps with the configured waits between them. */
async function sendPaced(ctx: MethodContext, handle: CallHandle, stream: GrpcStream, candidate: Candidate, call: Call): Promise<void> {
  if (!(await handle.wait(candidate.delayMs))) return;
  if (candidate.error) return failWithConfiguredError(handle, candidate.error);
  for (const [i, message] of candidate.messages.entries()) {
    if (i > 0 && !(await handle.wait(candidate.streamDelayMs))) return;
    if (!handle.isLive) return;
    if (!(await passFaults(ctx, handle, stream))) {
      if (!handle.isLive) return;
      continue;
    }
    send(ctx, stream, call, renderPrepared(message, call, call.request));
  }
  handle.succeed();
}

function send(ctx: MethodContext, stream: GrpcStream, call: Call, reply: object): void {
  call.write(reply);
  countSent(ctx, stream, reply);
}
