// The metrics of one plain HTTP request (issue 23): counted with its mock, status and latency as it is journaled.
// Bytes in are the request body as its Content-Length declares it (a chunked body without one counts 0); bytes out are
// what the response wrote to the socket, head and body (the socket's bytesWritten since the request began).

import type { IncomingMessage } from 'node:http';
import { metrics } from '../../metrics/collector.ts';

/** The socket's bytesWritten as a request begins, to measure its response by. */
export function bytesWrittenSoFar(req: IncomingMessage): number {
  return req.socket?.bytesWritten ?? 0;
}

export function countHttpRequest(req: IncomingMessage, mockId: string | undefined, status: number, started: number, written: number): void {
  if (!metrics.enabled) return;
  metrics.request('http', mockId, status, (performance.now() - started) / 1000);
  metrics.bytes('http', 'in', Number(req.headers['content-length']) || 0);
  metrics.bytes('http', 'out', (req.socket?.bytesWritten ?? written) - written);
}
