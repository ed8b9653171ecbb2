// Bare node:http baseline for the http scenarios: the same bodies mockd's bench mocks produce, written by hand.
// /bench/static answers {"ok":true}; /bench/template builds the same fields the templated mock renders
// (scenarios/http.ts), with the same Content-Type and Content-Length headers mockd sends.

import { randomInt, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { announceReady, onShutdown } from './ready.ts';

const STATIC = JSON.stringify({ ok: true });

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
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
});

server.listen(0, '127.0.0.1', () => announceReady({ port: (server.address() as AddressInfo).port }));
onShutdown(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});
