// mockd's own JSON answers on the mock port (health, 404 near misses, 503 refusals, script errors), shared by the
// services that live there.

import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, value: unknown, extraHeaders?: Record<string, string>): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...extraHeaders,
  });
  res.end(text);
}
