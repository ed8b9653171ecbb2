// Client-streaming RPCs (contract §7): read until the client half-closes, select on the last request, then wait
// `delay` and answer `response` or `error`.

import type { handleClientStreamingCall } from '@grpc/grpc-js';
import { undecodableReason } from './decode.ts';
import { countReceived, countSent, startStream, type MethodContext } from './method-context.ts';
import { renderPrepared, selectCandidate } from './method-plan.ts';
import { failWithConfiguredError, failWithNoMock } from './response.ts';
import { GRPC_STATUS } from './status-codes.ts';

export function createClientStreamHandler(ctx: MethodContext): handleClientStreamingCall<object, object> {
  return (call, callback) => {
    const started = startStream(ctx, call, callback);
    if (!started) return;
    const { handle, stream } = started;
    let last: unknown = {};
    call.on('data', (message: unknown) => {
      if (!handle.isLive) return;
      const bad = undecodableReason(message);
      if (bad) return void handle.fail(GRPC_STATUS.INVALID_ARGUMENT, bad);
      countReceived(ctx, stream, message);
      last = message;
    });
    call.on('end', () => {
      void (async () => {
        if (!handle.isLive) return;
        const candidate = selectCandidate(ctx.plan, call, last);
        if (!candidate) return failWithNoMock(handle, ctx.path);
        if (!(await handle.wait(candidate.delayMs))) return;
        if (candidate.error) return failWithConfiguredError(handle, candidate.error);
        const response = renderPrepared(candidate.reply, call, last);
        if (!handle.isLive) return;
        // The reply's `message` entry goes in before the call's end entry, which succeed() writes.
        countSent(ctx, stream, response);
        handle.succeed(response);
      })();
    });
  };
}
