// Bidirectional RPCs (contract §7): the i-th message received gets `responses[i]` (the last repeats when the list
// runs out), selected and templated on that message. No response configured gives RESOURCE_EXHAUSTED. The call ends
// OK once the client half-closes and every reply is out.

import type { handleBidiStreamingCall } from '@grpc/grpc-js';
import { undecodableReason } from './decode.ts';
import { countReceived, countSent, passFaults, startStream, type MethodContext } from './method-context.ts';
import { renderPrepared, selectCandidate } from './method-plan.ts';
import { failWithConfiguredError, failWithNoMock } from './response.ts';
import { GRPC_STATUS } from './status-codes.ts';

export function createBidiHandler(ctx: MethodContext): handleBidiStreamingCall<object, object> {
  return (call) => {
    const started = startStream(ctx, call);
    if (!started) return;
    const { handle, stream } = started;
    let received = 0;
    // Replies go out in the order the messages came, each after its own `delay`.
    let queue = Promise.resolve();

    const reply = async (message: unknown, index: number): Promise<void> => {
      if (!handle.isLive) return;
      const bad = undecodableReason(message);
      if (bad) return void handle.fail(GRPC_STATUS.INVALID_ARGUMENT, bad);
      const candidate = selectCandidate(ctx.plan, call, message);
      if (!candidate) return failWithNoMock(handle, ctx.path);
      if (!(await handle.wait(candidate.delayMs))) return;
      if (candidate.error) return failWithConfiguredError(handle, candidate.error);
      const { messages } = candidate;
      if (messages.length === 0) {
        return void handle.fail(GRPC_STATUS.RESOURCE_EXHAUSTED, `no response configured for ${ctx.path.slice(1)}`);
      }
      const reply = renderPrepared(messages[Math.min(index, messages.length - 1)]!, call, message);
      if (!(await passFaults(ctx, handle, stream))) return;
      call.write(reply);
      countSent(ctx, stream, reply);
    };

    call.on('data', (message: unknown) => {
      if (!handle.isLive) return;
      const index = received++;
      if (undecodableReason(message) === undefined) countReceived(ctx, stream, message);
      queue = queue.then(() => reply(message, index));
    });
    call.on('end', () => {
      queue = queue.then(() => void handle.succeed());
    });
  };
}
