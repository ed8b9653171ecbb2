// `http.proxy` (issue 21): the request goes to the upstream, the upstream's answer streams back (status, headers,
// body), and the exchange is journaled with both bodies, `proxied: true` and credentials redacted. An answer with
// `Content-Type: text/event-stream` is handed to the SSE service, which relays it event by event as an SSE connection.

import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import { journal, MAX_BODY_BYTES } from '../../journal/recorder.ts';
import { redactHeaders } from '../../journal/redact.ts';
import type { HttpProxy, Mock } from '../../mocks/types.ts';
import type { RequestInfo } from '../mock-port/request-context.ts';
import { sendJson } from '../mock-port/send-json.ts';

/** RFC 9110 §7.6.1: connection-specific fields are never forwarded by a proxy. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate',
]);

// Kept-alive upstream sockets: without them every proxied request would pay a TCP handshake.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/** Called with the upstream's answer when it is an event stream; the SSE service relays it from there. */
export type EventStreamRelay = (upstream: IncomingMessage, redact: boolean) => void;

interface Upstream {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: string;
  /** `host[:port]`, the Host header the upstream gets. */
  host: string;
  origin: string;
  /** The upstream URL's path without its trailing slash (`""` for none). */
  basePath: string;
  /** `stripPrefix` without its trailing slash. */
  prefix?: string;
}

/** Parsed once per mock version: this runs on every proxied request. */
const UPSTREAMS = new WeakMap<HttpProxy, Upstream>();

function upstreamOf(proxy: HttpProxy): Upstream {
  let u = UPSTREAMS.get(proxy);
  if (!u) {
    const url = new URL(proxy.upstream);
    u = {
      protocol: url.protocol as Upstream['protocol'],
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port,
      host: url.host,
      origin: url.origin,
      basePath: url.pathname.replace(/\/$/, ''),
      prefix: proxy.stripPrefix?.replace(/\/$/, ''),
    };
    UPSTREAMS.set(proxy, u);
  }
  return u;
}

/** The upstream path: `stripPrefix` is cut from the request path, then the upstream's base path goes in front. */
export function upstreamPath(proxy: HttpProxy, path: string, search: string): string {
  const u = upstreamOf(proxy);
  let rest = path;
  if (u.prefix !== undefined && (rest === u.prefix || rest.startsWith(`${u.prefix}/`))) rest = rest.slice(u.prefix.length) || '/';
  return u.basePath + rest + search;
}

function forwardedHeaders(headers: IncomingHttpHeaders, extra: Record<string, string> | undefined, host: string, bodyLength: number): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'host' && k !== 'content-length') out[k] = v;
  out.host = host;
  if (bodyLength > 0 || headers['content-length'] !== undefined) out['content-length'] = String(bodyLength);
  for (const [k, v] of Object.entries(extra ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function answerHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

/** Forwards one matched request and resolves once the answer has been passed on (or handed to `relay`). */
export function forwardHttp(req: IncomingMessage, res: ServerResponse, mock: Mock, info: RequestInfo, body: Buffer, relay: EventStreamRelay): Promise<void> {
  const proxy = mock.http!.proxy!;
  const redact = proxy.record?.redact !== false;
  const started = performance.now();
  const q = info.url.indexOf('?');
  const target = upstreamOf(proxy);
  const targetPath = upstreamPath(proxy, info.path, q === -1 ? '' : info.url.slice(q));
  const record = (statusCode: number, responseHeaders: IncomingHttpHeaders | undefined, responseBody: Buffer | undefined) => {
    if (!journal.enabled) return;
    journal.http({
      mockId: mock.id,
      method: info.method,
      path: info.path,
      query: info.query,
      headers: redactHeaders(req.headers, redact),
      body: info.rawBody,
      statusCode,
      durationMs: performance.now() - started,
      proxied: true,
      ...(responseHeaders && { responseHeaders: redactHeaders(responseHeaders, redact) }),
      ...(responseBody && { responseBody }),
    });
  };
  return new Promise<void>((resolve) => {
    const upstreamReq = (target.protocol === 'https:' ? https : http).request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      path: targetPath,
      method: info.method,
      headers: forwardedHeaders(req.headers, proxy.headers, target.host, body.length),
      agent: agents[target.protocol],
    });
    // A client that leaves takes its upstream request with it.
    const abandon = () => upstreamReq.destroy();
    res.once('close', abandon);
    upstreamReq.on('error', (err) => {
      res.off('close', abandon);
      if (!res.headersSent) {
        sendJson(res, 502, { error: 'upstream_unavailable', message: `proxy: upstream ${target.origin} failed: ${err.message}` });
        record(502, undefined, undefined);
      } else res.destroy();
      resolve();
    });
    upstreamReq.on('response', (upstream) => {
      if (/^text\/event-stream/i.test(String(upstream.headers['content-type'] ?? ''))) {
        res.off('close', abandon);
        relay(upstream, redact);
        resolve();
        return;
      }
      res.writeHead(upstream.statusCode ?? 502, upstream.statusMessage, answerHeaders(upstream.headers));
      const kept: Buffer[] = [];
      let keptBytes = 0;
      upstream.on('data', (chunk: Buffer) => {
        // Up to one byte past the journal's cap is kept, so the entry knows the body was longer.
        if (keptBytes <= MAX_BODY_BYTES) {
          kept.push(chunk.subarray(0, MAX_BODY_BYTES + 1 - keptBytes));
          keptBytes += Math.min(chunk.length, MAX_BODY_BYTES + 1 - keptBytes);
        }
      });
      upstream.pipe(res);
      upstream.once('end', () => {
        res.off('close', abandon);
        record(upstream.statusCode ?? 502, upstream.headers, Buffer.concat(kept));
        resolve();
      });
      // An upstream that dies mid-body cannot be answered for: the client's response is cut too, as the upstream's was.
      upstream.once('error', () => {
        res.destroy();
        resolve();
      });
      upstream.once('close', () => {
        if (!upstream.complete) res.destroy();
        resolve();
      });
    });
    if (body.length > 0) upstreamReq.end(body);
    else upstreamReq.end();
  });
}
