// Writing a mock's HTTP response (contract §3.2): status, headers, body, and Content-Type detection.

import type { ServerResponse } from 'node:http';

/** Contract §3.2: JSON for JSON values or text starting with { or [, XML for text starting with <, else text/plain. */
export function detectContentType(body: unknown, text: string): string | undefined {
  if (text.length === 0) return undefined;
  if (typeof body !== 'string') return 'application/json';
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) return 'application/json';
  if (t.startsWith('<')) return 'application/xml';
  return 'text/plain';
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

export function sendJson(res: ServerResponse, status: number, value: unknown, extraHeaders?: Record<string, string>): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...extraHeaders,
  });
  res.end(text);
}

export interface PlainResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export function writeResponse(res: ServerResponse, out: PlainResponse, withBody: boolean): void {
  const headers: Record<string, string | number> = { ...out.headers };
  if (!hasHeader(out.headers, 'content-length')) headers['Content-Length'] = Buffer.byteLength(out.body);
  res.writeHead(out.statusCode, headers);
  res.end(withBody ? out.body : undefined);
}
