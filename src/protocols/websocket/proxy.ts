// `websocket.proxy` (issue 21): each client connection gets one upstream connection of its own. Data frames pass
// both ways with their type; frames a client sends before the upstream is open wait for it. A close on either side
// closes the other with the same code, and a goodbye from mockd (admin, mock change, shutdown) closes both.

import { WebSocket, type RawData } from 'ws';
import type { CloseFrame } from './close-codes.ts';

/** 1014 "Bad Gateway" (IANA close-code registry): the upstream could not be reached or failed. */
export const UPSTREAM_FAILED: CloseFrame = { code: 1014, reason: 'upstream unavailable' };

/** Sessions hand the link these: frames from the upstream, and the upstream's close. */
export interface UpstreamHooks {
  received(data: Buffer, isBinary: boolean): void;
  closed(frame: CloseFrame): void;
}

/**
 * Codes a close frame may carry (RFC 6455 §7.4.1–7.4.2): 1005 and 1006 only report that none was sent, so they
 * become 1000 when passed on.
 */
export function sendableCode(code: number): number {
  if ((code >= 3000 && code <= 4999) || (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006)) return code;
  return 1000;
}

export class WsUpstreamLink {
  readonly #ws: WebSocket;
  readonly #pending: { data: Buffer; isBinary: boolean }[] = [];
  #done = false;

  constructor(
    upstream: string,
    clientUrl: string,
    subprotocol: string | undefined,
    clientHeaders: Record<string, string | string[] | undefined>,
    private readonly hooks: UpstreamHooks,
  ) {
    const target = new URL(upstream);
    const q = clientUrl.indexOf('?');
    if (q !== -1 && target.search === '') target.search = clientUrl.slice(q);
    this.#ws = new WebSocket(target, subprotocol ? [subprotocol] : [], { perMessageDeflate: false, headers: forwardedHeaders(clientHeaders) });
    this.#ws.on('open', () => {
      for (const f of this.#pending.splice(0)) this.#ws.send(f.data, { binary: f.isBinary });
    });
    this.#ws.on('message', (raw: RawData, isBinary: boolean) => hooks.received(toBuffer(raw), isBinary));
    this.#ws.on('close', (code: number, reason: Buffer) => this.#finish({ code: sendableCode(code), reason: reason.toString('utf8') }));
    this.#ws.on('error', () => this.#finish(UPSTREAM_FAILED));
  }

  forward(data: Buffer, isBinary: boolean): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(data, { binary: isBinary });
    else if (this.#ws.readyState === WebSocket.CONNECTING) this.#pending.push({ data, isBinary });
  }

  /** The client side is closing (client close or mockd's goodbye): the upstream gets the same code. */
  close(code: number, reason: string): void {
    this.#done = true;
    const ws = this.#ws;
    if (ws.readyState === WebSocket.OPEN) ws.close(sendableCode(code), reason);
    else if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    // An upstream that does not answer the close handshake is dropped.
    if (ws.readyState !== WebSocket.CLOSED) setTimeout(() => ws.terminate(), 1000).unref();
  }

  #finish(frame: CloseFrame): void {
    if (this.#done) return;
    this.#done = true;
    this.hooks.closed(frame);
  }
}

/** The handshake's own fields (RFC 6455 §4.1) and hop-by-hop ones are ws's to set; the rest (credentials, cookies,
 * custom headers) go upstream as the client sent them. */
const NOT_FORWARDED = new Set(['host', 'connection', 'upgrade', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'proxy-connection', 'content-length']);

function forwardedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || NOT_FORWARDED.has(k) || k.startsWith('sec-websocket-')) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function toBuffer(raw: RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}
