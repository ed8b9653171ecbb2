// The HTTP side of a WebSocket upgrade on the mock port (contract §5): which mock a path belongs to, subprotocol
// negotiation, and the plain HTTP answers that refuse an upgrade (404 unknown path, 400 subprotocol, 503 limit).

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import type { TemplateRequest } from '../../templating/index.ts';

/** The path of a request target, without its query string (routing ignores the query). */
export function pathOf(url: string | undefined): string {
  const target = url ?? '/';
  const q = target.indexOf('?');
  return q === -1 ? target : target.slice(0, q);
}

/** The subprotocols a client offers in `Sec-WebSocket-Protocol`, in its order. */
export function offeredSubprotocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  if (!header) return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** The first of the mock's `subprotocols` that the client also offers (§5), or undefined. */
export function chooseSubprotocol(supported: readonly string[], offered: readonly string[]): string | undefined {
  return supported.find((p) => offered.includes(p));
}

/** Answers the upgrade request with a plain HTTP error and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, body: Record<string, unknown>): void {
  socket.on('error', () => undefined);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(text)}\r\n` +
      'Connection: close\r\n\r\n' +
      text,
  );
}

/** The upgrade request as WebSocket response templates see it: `request.path`, `request.query.*`, `request.header.*`. */
export function toTemplateRequest(req: IncomingMessage, path: string): TemplateRequest {
  const url = req.url ?? path;
  const q = url.indexOf('?');
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(q === -1 ? '' : url.slice(q + 1))) {
    const prior = query[key];
    if (prior === undefined) query[key] = value;
    else if (Array.isArray(prior)) prior.push(value);
    else query[key] = [prior, value];
  }
  return { method: req.method ?? 'GET', path, url, query, headers: req.headers };
}
