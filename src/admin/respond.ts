// Small response helpers for the admin routes: every admin answer is JSON except 204 and /events (contract §8).

import type { Readable } from 'node:stream';
import type { H3Event } from 'h3';
import { MockdError } from '../errors.ts';

export const MAX_ADMIN_BODY = 10 * 1024 * 1024;

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export function param(event: H3Event, name: string): string {
  const value = event.context.params?.[name];
  if (value === undefined) throw new MockdError('not_found', 'Not found');
  return decodeURIComponent(value);
}

/** The JSON body: missing, malformed or not JSON is 400 invalid_json; over 10 MiB is 413 body_too_large. */
export async function readJson(event: H3Event): Promise<unknown> {
  const declared = Number(event.req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_ADMIN_BODY) {
    throw new MockdError('body_too_large', `request body exceeds ${MAX_ADMIN_BODY} bytes`);
  }
  const node = event.runtime?.node?.req;
  const buf = node ? await readLimited(node, MAX_ADMIN_BODY) : await event.req.arrayBuffer();
  if (buf.byteLength > MAX_ADMIN_BODY) throw new MockdError('body_too_large', `request body exceeds ${MAX_ADMIN_BODY} bytes`);
  const text = new TextDecoder().decode(buf);
  if (text.trim() === '') throw new MockdError('invalid_json', 'request body is missing');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new MockdError('invalid_json', `request body is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * The body read straight from Node's request, no further than `limit`: past it, reading stops (what is left is
 * discarded by the 413's lingering close, see lingering-close.ts) instead of buffering the whole upload.
 */
function readLimited(req: Readable, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      reject(new MockdError('body_too_large', `request body exceeds ${limit} bytes`));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export function query(event: H3Event): URLSearchParams {
  return new URL(event.req.url).searchParams;
}
