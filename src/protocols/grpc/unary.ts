// Unary RPCs (contract §7): wait `delay`, then answer `error` if set, otherwise `response`. Not tracked as a stream.

import type { handleUnaryCall } from '@grpc/grpc-js';
import { durationMs } from '../../util/duration.ts';
import { metadataOf } from './call-handle.ts';
import { undecodableReason } from './decode.ts';
import { callbackEnder, startCall, type MethodContext } from './method-context.ts';
import { failWithConfiguredError, failWithNoMock, renderMessage, templateContext } from './response.ts';
import { selectMethodConfig } from './select.ts';
import { GRPC_STATUS } from './status-codes.ts';

export function createUnaryHandler(ctx: MethodContext): handleUnaryCall<object, object> {
  return (call, callback) => {
    const handle = startCall(ctx, call, callbackEnder(callback));
    void (async () => {
      const bad = undecodableReason(call.request);
      if (bad) return handle.fail(GRPC_STATUS.INVALID_ARGUMENT, bad);
      ctx.manager.countRecv();
      const metadata = metadataOf(call);
      const config = selectMethodConfig(ctx.config, { metadata, request: call.request });
      if (!config) return failWithNoMock(handle, ctx.path);
      if (!(await handle.wait(durationMs(config.delay, 0)))) return;
      if (config.error) return failWithConfiguredError(handle, config.error);
      const response = renderMessage(config.response ?? config.responses?.[0], templateContext(call.request, metadata));
      if (handle.succeed(response)) ctx.manager.countSent();
    })();
  };
}
