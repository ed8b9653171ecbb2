// A lingering close (RFC 9112 §9.6; nginx's `lingering_close`) for a response sent before the request body was read,
// such as 413 body_too_large. If the server closed the socket while the client was still sending, the kernel would
// answer the unread data with a reset, and the client could lose the answer it had not read yet (Node's http client
// and raw sockets saw EPIPE/ECONNRESET in about half the runs). So the answer goes out at once, with
// `Connection: close` and its Content-Length, but the response is ended only once the rest of the body has been read
// and discarded; a client that keeps sending past LINGER_BYTES or LINGER_MS is dropped.

import type { IncomingMessage, ServerResponse } from 'node:http';

/** How long the rest of a refused body is read and discarded before the connection is dropped. */
export const LINGER_MS = 5000;
/** How much of a refused body is read and discarded before the connection is dropped. */
export const LINGER_BYTES = 64 * 1024 * 1024;

/** Calls `end` once `req`'s body has been read to its end, or destroys the socket when the bounds run out. */
export function endAfterDiscardingBody(req: IncomingMessage, end: () => void): void {
  if (req.complete || req.readableEnded || req.destroyed) return end();
  let discarded = 0;
  let done = false;
  const finish = (drop: boolean) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    req.off('data', onData);
    end();
    if (drop) req.socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) finish(true);
  };
  const timer = setTimeout(() => finish(true), LINGER_MS);
  timer.unref();
  req.on('data', onData);
  req.once('end', () => finish(false));
  req.once('close', () => finish(false));
  req.resume();
}

/** Sends a JSON answer now and closes with a lingering close (see above). */
export function sendJsonThenLinger(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    Connection: 'close',
  });
  res.write(text);
  endAfterDiscardingBody(req, () => res.end());
}
