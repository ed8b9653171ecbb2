// A bandwidth cap on one response (README "Faults and chaos"): the body's bytes leave in slices of at most
// `bytesPerSecond / 20` every 50 ms. Headers go out as usual; only this response's write/end are paced.

import type { ServerResponse } from 'node:http';

const TICK_MS = 50;

export function throttleResponse(res: ServerResponse, bytesPerSecond: number): void {
  const perTick = Math.max(1, Math.floor((bytesPerSecond * TICK_MS) / 1000));
  const write = res.write.bind(res) as (chunk: Buffer) => boolean;
  const end = res.end.bind(res) as (chunk?: Buffer) => ServerResponse;
  let queue = Buffer.alloc(0);
  let ending = false;
  let timer: NodeJS.Timeout | undefined;

  const pump = () => {
    timer = undefined;
    if (res.destroyed) return;
    const slice = queue.subarray(0, perTick);
    queue = queue.subarray(slice.length);
    if (queue.length === 0 && ending) {
      end(slice);
      return;
    }
    if (slice.length > 0) write(slice);
    if (queue.length > 0 || ending) timer = setTimeout(pump, TICK_MS);
  };
  const take = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    queue = Buffer.concat([queue, buf]);
  };

  res.write = ((chunk: unknown, encoding?: unknown) => {
    take(chunk, encoding);
    timer ??= setTimeout(pump, 0);
    return true;
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, encoding?: unknown) => {
    take(chunk, encoding);
    ending = true;
    // Without a length, the capped body goes chunked; a declared Content-Length still holds, since no byte is lost.
    if (!res.headersSent && !res.hasHeader('content-length')) res.setHeader('transfer-encoding', 'chunked');
    timer ??= setTimeout(pump, 0);
    return res;
  }) as ServerResponse['end'];
}
