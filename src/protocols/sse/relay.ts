// An upstream event stream relayed through an `http.proxy` mock (issue 21). The bytes pass through as they arrive;
// a parser beside them cuts the stream into events (WHATWG HTML §9.2.6) only to count and journal them. The relay is
// an ordinary SSE connection: listed, counted, and ended by an admin close or a mock change, which also drops the
// upstream response.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { journal } from '../../journal/recorder.ts';
import { redactHeaders } from '../../journal/redact.ts';
import type { Mock } from '../../mocks/types.ts';
import { clientAddressOf } from '../../util/client-address.ts';
import type { SseConnection, SseConnectionManager } from './manager.ts';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

export interface ParsedEvent {
  type?: string;
  id?: string;
  data: string;
}

/** Incremental event-stream parser: feed it text, it calls `onEvent` per dispatched event (comments skipped). */
export function createEventParser(onEvent: (event: ParsedEvent) => void): (text: string) => void {
  let buffer = '';
  let data: string[] = [];
  let type: string | undefined;
  let id: string | undefined;
  return (text) => {
    buffer += text;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(buffer);
      // A lone CR at the end may be the first half of CRLF: wait for more.
      if (!m || (m[0] === '\r' && m.index === buffer.length - 1)) return;
      const line = buffer.slice(0, m.index);
      buffer = buffer.slice(m.index + m[0].length);
      if (line === '') {
        if (data.length > 0) onEvent({ ...(type !== undefined && { type }), ...(id !== undefined && { id }), data: data.join('\n') });
        data = [];
        type = undefined;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') type = value;
      else if (field === 'id') id = value;
    }
  };
}

export function relayEventStream(
  manager: SseConnectionManager,
  req: IncomingMessage,
  res: ServerResponse,
  mock: Mock,
  upstream: IncomingMessage,
  options: { path: string; redact: boolean },
): void {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(upstream.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  res.writeHead(upstream.statusCode ?? 200, headers);
  res.socket?.setNoDelay(true);
  res.flushHeaders();
  let record: SseConnection | undefined;
  let ended = false;
  let ending: Promise<void> | undefined;
  const finish = (reason: Parameters<SseConnectionManager['gone']>[1]) => {
    if (ended) return;
    ended = true;
    upstream.destroy();
    manager.gone(record!, reason);
  };
  record = manager.open(
    { mockId: mock.id, path: options.path, clientIp: clientAddressOf(req.socket), userAgent: req.headers['user-agent'] },
    (reason) => {
      record!.status = 'closing';
      ending ??= new Promise<void>((resolve) => {
        upstream.destroy();
        if (res.writableEnded) return resolve();
        res.end(() => resolve());
        // A client that does not take the last bytes is dropped.
        setTimeout(() => {
          res.destroy();
          resolve();
        }, 2000).unref();
      }).then(() => finish(reason));
      return ending;
    },
  );
  const base = { proxied: true, mockId: mock.id, path: options.path, connectionId: record.id };
  if (journal.enabled) {
    journal.sse({ ...base, kind: 'open', data: JSON.stringify({ statusCode: upstream.statusCode, headers: redactHeaders(upstream.headers, options.redact) }) });
  }
  const parse = createEventParser((event) => {
    manager.countWrite(record!, 0, 1);
    if (journal.enabled) journal.sse({ ...base, kind: 'event', eventType: event.type, eventId: event.id, data: event.data });
  });
  upstream.setEncoding('utf8');
  upstream.on('data', (text: string) => {
    manager.countWrite(record!, Buffer.byteLength(text), 0);
    res.write(text);
    parse(text);
  });
  upstream.on('end', () => res.end(() => finish('server')));
  upstream.on('error', () => undefined);
  res.on('close', () => finish(res.writableFinished ? 'server' : 'client'));
}
