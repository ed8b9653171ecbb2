// Reading a request body with the 10 MiB limit of contract §3.2.

import type { IncomingMessage } from 'node:http';
import { MockdError } from '../../errors.ts';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class BodyTooLargeError extends MockdError {
  constructor() {
    super('body_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`);
  }
}

/** True when the request carries no body at all, so there is nothing to wait for. */
export function hasNoBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined;
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  if (hasNoBody(req)) return Promise.resolve(Buffer.alloc(0));
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
