// Bare node:http baseline for the http scenarios: the same bodies mockd's bench mocks produce, written by hand.
// /bench/static answers {"ok":true}; /bench/template builds the same fields the templated mock renders
// (scenarios/http.ts), with the same Content-Type and Content-Length headers mockd sends.

import { randomInt, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveBaseline } from './threads.ts';

const STATIC = JSON.stringify({ ok: true });

const handle = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  let body: string;
  if (req.method === 'GET' && path === '/bench/static') body = STATIC;
  else if (req.method === 'GET' && path === '/bench/template') {
    body = JSON.stringify({ id: randomUUID(), path, at: new Date().toISOString(), n: String(randomInt(1, 1001)) });
  } else {
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"no_match"}');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};

// `--threads N`: N threads share the port with reusePort (threads.ts), the fair baseline for N mockd workers.
await serveBaseline(import.meta.url, async (port, reusePort) => {
  const server = createServer({ keepAliveTimeout: 65_000 }, handle);
  await new Promise<void>((resolve) => server.listen({ port, host: '127.0.0.1', ...(reusePort ? { reusePort: true } : {}) }, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
});
