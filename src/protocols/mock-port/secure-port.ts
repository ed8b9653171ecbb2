// The HTTPS port of the http worker (`--https-port`, README "TLS"): one TLS listener that speaks HTTP/2 to clients
// that offer `h2` by ALPN and HTTP/1.1 to the rest (WebSocket upgrades and SSE included). The mock-port host attaches
// the same request and upgrade handlers as on the plain port, so both ports share every mock and ConnectionManager.

import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { MockdError } from '../../errors.ts';
import type { PortShare } from '../../contract/worker-api.ts';
import type { TlsMaterial } from '../../contract/tls.ts';
import { serverTlsOptions } from '../tls/secure-context.ts';
import { listenOn } from '../shared-port.ts';

export interface SecureMockPort {
  server: Http2SecureServer;
  readonly port: number;
  close(): Promise<void>;
}

export async function listenSecure(material: TlsMaterial, host: string, port: number, share?: PortShare): Promise<SecureMockPort> {
  const server = createSecureServer({
    ...serverTlsOptions(material, ['h2', 'http/1.1']),
    allowHTTP1: true,
    // A client that opens a TLS connection and says nothing is dropped, as the plain port's headers timeout does.
    handshakeTimeout: 10_000,
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A failed handshake (no certificate under `require`, an untrusted client) is the client's problem, not a crash.
  server.on('tlsClientError', () => undefined);
  server.on('sessionError', () => undefined);
  await listenOn(server as never, host, port, share).catch((err: NodeJS.ErrnoException) => {
    throw new MockdError('port_unavailable', `HTTPS port ${port}: ${err.code ?? err.message}`);
  });
  return {
    server,
    get port() {
      return (server.address() as AddressInfo).port;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
