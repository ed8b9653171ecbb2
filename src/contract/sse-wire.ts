// The SSE wire format of contract §4, as pure functions: the mock port's SSE streams and the admin `/events` stream
// both write it. Field lines are `name:value` with no space after the colon (the WHATWG event-stream grammar strips at
// most one leading space, so both parse the same; §4 fixes the bytes).

/** The response head of every stream (§4); X-Accel-Buffering stops nginx-style proxies from holding events back. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

/** Always the first bytes of a stream: tells EventSource clients to reconnect after 3 s (§4). */
export const PREAMBLE = 'retry: 3000\n\n';

/** A comment line, which EventSource ignores: keeps proxies and idle timers from closing a quiet stream (§4). */
export const KEEPALIVE = ': keepalive\n\n';

/** One event as it goes on the wire; `data` is already rendered text. */
export interface WireEvent {
  type?: string;
  id?: string;
  retry?: number;
  comment?: string;
  data: string;
}

// CR, LF and CRLF all end a line in an event stream (WHATWG HTML §9.2.5), so each splits data into data: lines.
const LINE_BREAK = /\r\n|\r|\n/;
const ANY_BREAK = /[\r\n]/g;

/**
 * `: <comment>` lines, `event:`, `id:` and `retry:` (each only when set), one `data:` line per line of data, then the
 * blank line that dispatches the event. A line break inside a type or id would start a new field, so it is dropped.
 */
export function encodeEvent(event: WireEvent): string {
  let out = '';
  if (event.comment) for (const line of event.comment.split(LINE_BREAK)) out += `: ${line}\n`;
  if (event.type) out += `event:${event.type.replace(ANY_BREAK, '')}\n`;
  if (event.id !== undefined) out += `id:${event.id.replace(ANY_BREAK, '')}\n`;
  if (event.retry !== undefined) out += `retry:${event.retry}\n`;
  for (const line of event.data.split(LINE_BREAK)) out += `data:${line}\n`;
  return out + '\n';
}

/** Event data as text: strings as they are, anything else as compact JSON (§4). */
export function toDataText(data: unknown): string {
  if (typeof data === 'string') return data;
  return JSON.stringify(data) ?? '';
}
