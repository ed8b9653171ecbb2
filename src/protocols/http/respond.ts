// Writing a mock's HTTP response (contract §3.2): status, headers, body, and Content-Type detection.

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Contract §3.2: JSON for JSON values or text starting with { or [, XML for text starting with <, else text/plain. */
export function detectContentType(body: unknown, text: string): string | undefined {
  if (text.length === 0) return undefined;
  if (typeof body !== 'string') return 'application/json';
  return contentTypeOfText(text);
}

/** The §3.2 rule for a text body (string, file or script output), judged by its first non-blank character. */
export function contentTypeOfText(text: string | Buffer): string | undefined {
  if (text.length === 0) return undefined;
  const head = typeof text === 'string' ? text.trimStart() : leadingText(text);
  const first = head.charCodeAt(0);
  if (first === 0x7b || first === 0x5b) return 'application/json'; // { [
  if (first === 0x3c) return 'application/xml'; // <
  return 'text/plain';
}

// The start of a file body with its leading blanks removed, decoding only as much as the blanks need.
function leadingText(bytes: Buffer): string {
  for (let size = 64; ; size *= 4) {
    const head = bytes.subarray(0, size).toString('utf8').trimStart();
    if (head.length > 0 || size >= bytes.length) return head;
  }
}

/** A JSON value is sent as compact JSON; a string as it is; nothing as the empty body. */
export function bodyText(body: unknown): string {
  if (body === undefined || body === null) return body === null ? 'null' : '';
  return typeof body === 'string' ? body : JSON.stringify(body);
}

export function hasHeader(headers: Record<string, string> | undefined, name: string): boolean {
  if (!headers) return false;
  const lower = name.toLowerCase();
  return Object.keys(headers).some((k) => k.toLowerCase() === lower);
}

/** `extra` over `base`, names compared ignoring case (RFC 9110 §5.1): a later `content-type` replaces `Content-Type`. */
export function mergeHeaders(base: Record<string, string>, extra: readonly (readonly [string, string])[]): Record<string, string> {
  const out = { ...base };
  for (const [name, value] of extra) {
    const lower = name.toLowerCase();
    for (const key of Object.keys(out)) if (key.toLowerCase() === lower) delete out[key];
    out[name] = sanitizeHeaderValue(value);
  }
  return out;
}

// Node refuses a header value holding control characters or anything past U+00FF (ERR_INVALID_CHAR). A templated
// value may carry request data, and templating never fails a request (§3.3), so such characters are dropped.
const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
const INVALID_HEADER_CHARS = /[^\t\x20-\x7e\x80-\xff]/g;

export function sanitizeHeaderValue(value: string): string {
  return INVALID_HEADER_CHAR.test(value) ? value.replace(INVALID_HEADER_CHARS, '') : value;
}

/** RFC 9110 §6.4.1, §15.4.5: 1xx, 204 and 304 responses carry no content (nor Content-Length). */
export function isBodyless(statusCode: number): boolean {
  return statusCode < 200 || statusCode === 204 || statusCode === 304;
}

export interface PlainResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** The headers to send: the mock's, plus Content-Length unless the mock set one or the status has no content. */
export function finalHeaders(out: PlainResponse): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { ...out.headers };
  if (!isBodyless(out.statusCode) && !hasHeader(out.headers, 'content-length')) {
    headers['Content-Length'] = Buffer.byteLength(out.body);
  }
  return headers;
}

/** Writes status line, headers and (unless `withBody` is false, as for a HEAD answered as GET) the body. */
export function writeResponse(res: ServerResponse, out: PlainResponse, withBody: boolean): void {
  res.writeHead(out.statusCode, finalHeaders(out));
  res.end(withBody && !isBodyless(out.statusCode) ? out.body : undefined);
}
