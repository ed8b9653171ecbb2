// gRPC over TLS (README "TLS"): mockd terminates TLS itself on a node:tls listener and hands each decrypted connection
// to grpc-js through a connection injector, so a reload can swap the certificate for new handshakes
// (tls.Server#setSecureContext) and every stream can show the TLS facts of its connection.

import type net from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { TlsInfo } from '../../contract/tls.ts';
import { mockTlsServerOptions, type ResolvedMockTls } from '../tls/mock-tls.ts';
import { tlsInfoOf } from '../tls/client-info.ts';

/** The TLS facts of live connections by their remote `ip:port`, as a call's peer address names it. */
export class TlsPeers {
  readonly #byPeer = new Map<string, TlsInfo>();

  add(socket: TLSSocket): void {
    const key = peerKey(socket.remoteAddress ?? '', socket.remotePort ?? 0);
    const info = tlsInfoOf(socket);
    if (!info) return;
    this.#byPeer.set(key, info);
    socket.once('close', () => this.#byPeer.delete(key));
  }

  /** `clientAddr` as call-handle.ts gives it (`127.0.0.1:53210`, `[::1]:53210`). */
  of(clientAddr: string): TlsInfo | undefined {
    const i = clientAddr.lastIndexOf(':');
    return this.#byPeer.get(peerKey(clientAddr.slice(0, i), Number(clientAddr.slice(i + 1))));
  }
}

function peerKey(address: string, port: number): string {
  return `${address.replace(/^\[|\]$/g, '').replace(/^::ffff:/, '')}:${port}`;
}

/**
 * A TLS listener that offers `h2` by ALPN and feeds each established connection to `inject`; client certificates are
 * asked for when the mock names a CA, and required with `requireClientCert`.
 */
export function createGrpcTlsServer(t: ResolvedMockTls, peers: TlsPeers, inject: (socket: net.Socket) => void): TlsServer {
  const server = createTlsServer({ ...mockTlsServerOptions(t), ALPNProtocols: ['h2'] });
  server.on('secureConnection', (socket: TLSSocket) => {
    peers.add(socket);
    inject(socket);
  });
  server.on('tlsClientError', () => undefined);
  return server;
}
