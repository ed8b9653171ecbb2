// The two per-connection timers of contract §5: heartbeat pings with a pong timeout, and the idle timeout.
// Both are plain timers owned by one connection and stopped when it closes.

import type { WebSocket } from 'ws';

export interface Stoppable {
  stop(): void;
}

const NOOP: Stoppable = { stop() {} };

/**
 * Pings every `intervalMs`; when no pong arrives within `timeoutMs` of a ping, calls `onTimeout` once. While a pong
 * is awaited no further ping is sent, so a timeout longer than the interval still bounds the first unanswered ping.
 */
export function startHeartbeat(ws: WebSocket, intervalMs: number, timeoutMs: number, onTimeout: () => void): Stoppable {
  let deadline: NodeJS.Timeout | undefined;
  const onPong = () => {
    clearTimeout(deadline);
    deadline = undefined;
  };
  ws.on('pong', onPong);
  const interval = setInterval(() => {
    if (deadline !== undefined) return;
    deadline = setTimeout(() => {
      stop();
      onTimeout();
    }, timeoutMs);
    ws.ping();
  }, intervalMs);
  const stop = () => {
    clearInterval(interval);
    clearTimeout(deadline);
    ws.off('pong', onPong);
  };
  return { stop };
}

export interface IdleTimer extends Stoppable {
  /** The client sent a message: start counting again. */
  touch(): void;
}

/** Calls `onIdle` once the client has been silent for `timeoutMs` (0 = never). */
export function startIdleTimer(timeoutMs: number, onIdle: () => void): IdleTimer {
  if (timeoutMs <= 0) return { touch() {}, ...NOOP };
  let stopped = false;
  const timer = setTimeout(() => {
    stopped = true;
    onIdle();
  }, timeoutMs);
  return {
    // refresh() restarts the same timer without allocating a new one: cheap enough to call per message. A fired or
    // stopped timer must stay stopped, and refresh() would re-arm it.
    touch: () => {
      if (!stopped) timer.refresh();
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
