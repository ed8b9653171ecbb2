// Server-streaming RPCs (contract §7): wait `delay`; with `error` end with it, otherwise send `responses` (or
// `[response]`), the first at once and the rest `streamDelay` apart, then end OK.

import type { handleServerStreamingCall } from '@grpc/grpc-js';
import { durationMs } from '../../util/duration.ts';
import { metadataOf } from './call-handle.ts';
import { undecodableReason } from './decode.ts';
import { countReceived, countSent, startStream, streamEnder, type MethodContext } from './method-context.ts';
import { failWithConfiguredError, failWithNoMock, renderMessage, responsesOf, templateContext } from './response.ts';
import { selectMethodConfig } from './select.ts';
import { GRPC_STATUS } from './status-codes.ts';

export function createServerStreamHandler(ctx: MethodContext): handleServerStreamingCall<object, object> {
  return (call) => {
    const started = startStream(ctx, call, streamEnder(call), 'server_stream');
    if (!started) return;
    const { handle, stream } = started;
    void (async () => {
      const bad = undecodableReason(call.request);
      if (bad) return handle.fail(GRPC_STATUS.INVALID_ARGUMENT, bad);
      countReceived(ctx, stream, call.request);
      const metadata = metadataOf(call);
      const config = selectMethodConfig(ctx.config, { metadata, request: call.request });
      if (!config) return failWithNoMock(handle, ctx.path);
      if (!(await handle.wait(durationMs(config.delay, 0)))) return;
      if (config.error) return failWithConfiguredError(handle, config.error);
      const gap = durationMs(config.streamDelay, 0);
      const tctx = templateContext(call.request, metadata);
      for (const [i, message] of responsesOf(config).entries()) {
        if (i > 0 && !(await handle.wait(gap))) return;
        if (!handle.isLive) return;
        const reply = renderMessage(message, tctx);
        call.write(reply);
        countSent(ctx, stream, reply);
      }
      handle.succeed();
    })();
  };
}
