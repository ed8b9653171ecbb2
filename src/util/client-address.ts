// The `ip:port` form of a client's address used by connection records (contract §9.3 `clientIp`), with an IPv6
// address in brackets so the port stays unambiguous.

import type { Socket } from 'node:net';

export function clientAddressOf(socket: Pick<Socket, 'remoteAddress' | 'remotePort'>): string {
  const ip = socket.remoteAddress ?? '';
  return `${ip.includes(':') ? `[${ip}]` : ip}:${socket.remotePort ?? 0}`;
}
