// Bare aedes baseline for the mqtt scenarios: a default broker (no hooks, in-memory persistence) on one TCP port,
// the library mockd's MQTT mocks are built on (contract §6).

import net from 'node:net';
import { Aedes } from 'aedes';
import { announceReady, onShutdown } from './ready.ts';

const broker = await Aedes.createBroker();
const server = net.createServer((socket) => broker.handle(socket));
const sockets = new Set<net.Socket>();
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
});

server.listen(0, '127.0.0.1', () => announceReady({ port: (server.address() as net.AddressInfo).port }));
onShutdown(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => broker.close(() => resolve()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
