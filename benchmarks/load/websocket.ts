// WebSocket echo load: every connection keeps one text message in flight, timing each round trip from send to the
// echoed frame, and sends the next as soon as the echo arrives (closed loop).

import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { OpenLoad } from './recorder.ts';

export interface WebSocketLoadConfig {
  url: string;
  /** Bytes of the text message (default 32). */
  size?: number;
}

const OPEN_TIMEOUT_MS = 10_000;

export const openLoad: OpenLoad<WebSocketLoadConfig> = async (config, share, rec) => {
  const message = 'x'.repeat(config.size ?? 32);
  let running = false;
  const sockets = Array.from({ length: share.connections }, () => {
    const ws = new WebSocket(config.url, { perMessageDeflate: false });
    ws.on('error', () => undefined);
    return ws;
  });
  try {
    await Promise.all(sockets.map((ws) => once(ws, 'open', { signal: AbortSignal.timeout(OPEN_TIMEOUT_MS) })));
  } catch (err) {
    // This thread outlives the run: leave no half-open connections behind.
    for (const ws of sockets) ws.terminate();
    throw err;
  }
  const senders = sockets.map((ws) => {
    let sentAt = 0;
    const send = () => {
      sentAt = performance.now();
      ws.send(message);
    };
    ws.on('message', () => {
      rec.done(sentAt);
      if (running) send();
    });
    ws.on('close', () => {
      if (running) rec.error();
    });
    return send;
  });
  return {
    start() {
      running = true;
      for (const send of senders) send();
    },
    async stop() {
      running = false;
      for (const ws of sockets) ws.terminate();
    },
  };
};
