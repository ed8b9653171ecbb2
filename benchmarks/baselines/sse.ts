// Bare node:http baseline for the sse scenario: the same head and the same frames as mockd's bench SSE mock
// (contract §4 wire format: `retry: 3000` preamble, then `event:`/`data:` lines and a blank line per event), written
// one res.write per event, pausing only for back-pressure, then ending the response.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { announceReady, argValue, onShutdown } from './ready.ts';
import { SSE_EVENT_DATA, SSE_EVENT_TYPE } from '../scenarios/sse-frames.ts';

const EVENTS = Number(argValue('events', '1000'));
const FRAME = `event:${SSE_EVENT_TYPE}\ndata:${JSON.stringify(SSE_EVENT_DATA)}\n\n`;
const HEADERS = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' };

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.url !== '/bench/sse') {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, HEADERS);
  res.socket?.setNoDelay(true);
  res.write('retry: 3000\n\n');
  void (async () => {
    for (let i = 0; i < EVENTS; i++) {
      if (res.destroyed) return;
      if (!res.write(FRAME)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
    res.end();
  })();
});

server.listen(0, '127.0.0.1', () => announceReady({ port: (server.address() as AddressInfo).port }));
onShutdown(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});
