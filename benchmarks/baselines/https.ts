// Bare node:https baseline for the https scenarios (README "TLS"): the same {"ok":true} body mockd's static bench mock
// produces, over TLS with a certificate made by the same library and key type (ECDSA P-256) mockd's --tls-auto uses.
// The CA is announced with the port so the load generator can trust it.

import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateCa, generateServerCert } from '../../src/tls/generate.ts';
import { serveBaseline } from './threads.ts';

const STATIC = JSON.stringify({ ok: true });
const ca = await generateCa('bench baseline CA', 1);
const server = await generateServerCert(ca, '127.0.0.1');

const handle = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
  if (req.method === 'GET' && req.url === '/bench/static') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(STATIC) });
    res.end(STATIC);
    return;
  }
  res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"no_match"}');
};

await serveBaseline(
  import.meta.url,
  async (port, reusePort) => {
    const https = createServer({ cert: server.cert, key: server.key, keepAliveTimeout: 65_000 }, handle);
    await new Promise<void>((resolve) => https.listen({ port, host: '127.0.0.1', ...(reusePort ? { reusePort: true } : {}) }, resolve));
    return {
      port: (https.address() as AddressInfo).port,
      close() {
        https.closeAllConnections();
        return new Promise((resolve) => https.close(resolve));
      },
    };
  },
  { ca: ca.cert },
);
