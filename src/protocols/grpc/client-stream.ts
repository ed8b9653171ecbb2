// Client-streaming RPCs (contract §7): read until the client half-closes, select on the last request, then wait
// `delay` and answer `response` or `error`.

import type { handleClientStreamingCall } from '@grpc/grpc-js';
import { durationMs } from '../../util/duration.ts';
import { metadataOf } from './call-handle.ts';
import { undecodableReason } from './decode.ts';
import { callbackEnder, countReceived, countSent, startStream, type MethodContext } from './method-context.ts';
import { failWithConfiguredError, failWithNoMock, renderMessage, templateContext } from './response.ts';
import { selectMethodConfig } from './select.ts';
import { GRPC_STATUS } from './status-codes.ts';

export function createClientStreamHandler(ctx: MethodContext): handleClientStreamingCall<object, object> {
  return (call, callback) => {
    const started = startStream(ctx, call, callbackEnder(callback), 'client_stream');
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
        const metadata = metadataOf(call);
        const config = selectMethodConfig(ctx.config, { metadata, request: last });
        if (!config) return failWithNoMock(handle, ctx.path);
        if (!(await handle.wait(durationMs(config.delay, 0)))) return;
        if (config.error) return failWithConfiguredError(handle, config.error);
        const response = renderMessage(config.response ?? config.responses?.[0], templateContext(last, metadata));
        if (!handle.isLive) return;
        // The reply's `message` entry goes in before the call's end entry, which succeed() writes.
        countSent(ctx, stream, response);
        handle.succeed(response);
      })();
    });
  };
}
