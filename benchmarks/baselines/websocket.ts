// Bare `ws` baseline for the websocket and scale scenarios: an echo server on /bench/ws that keeps frame type, plus
// the two things the scale target asks of mockd, done the plain way: GET /connections lists one record per client
// (the fields of contract §9.2), and POST /close-all closes every client with 1012 "mock updated".

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { announceReady, onShutdown } from './ready.ts';

interface ConnectionRecord {
  id: string;
  mockId: string;
  path: string;
  connectedAt: string;
  messagesSent: number;
  messagesRecv: number;
  status: string;
}

const records = new Map<WebSocket, ConnectionRecord>();
let nextId = 1;

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/connections') {
    const body = JSON.stringify({ connections: [...records.values()], count: records.size });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
  } else if (req.method === 'POST' && req.url === '/close-all') {
    for (const ws of records.keys()) ws.close(1012, 'mock updated');
    res.writeHead(204).end();
  } else {
    res.writeHead(404).end();
  }
});

const wss = new WebSocketServer({ server, path: '/bench/ws' });
wss.on('connection', (ws) => {
  const record: ConnectionRecord = {
    id: `ws-${nextId++}`,
    mockId: 'baseline',
    path: '/bench/ws',
    connectedAt: new Date().toISOString(),
    messagesSent: 0,
    messagesRecv: 0,
    status: 'connected',
  };
  records.set(ws, record);
  ws.on('message', (data, isBinary) => {
    record.messagesRecv++;
    ws.send(data, { binary: isBinary });
    record.messagesSent++;
  });
  ws.on('close', () => records.delete(ws));
  ws.on('error', () => ws.terminate());
});

server.listen(0, '127.0.0.1', () => announceReady({ port: (server.address() as AddressInfo).port }));
onShutdown(() => {
  for (const ws of records.keys()) ws.terminate();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});
