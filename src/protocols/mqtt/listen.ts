// Binding a broker's TCP listener. A bind failure becomes MockdError `port_unavailable` (contract §6) and leaves no
// server behind.

import net from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { MockdError } from '../../errors.ts';
import { mockTlsServerOptions, type ResolvedMockTls } from '../tls/mock-tls.ts';

/** Resolves with a listening server (no connection handler yet) on host:port; port 0 picks a free port. */
export function bindServer(host: string, port: number): Promise<net.Server> {
  return listenExclusive(net.createServer(), host, port);
}

function listenExclusive<S extends net.Server>(server: S, host: string, port: number): Promise<S> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.close();
      reject(new MockdError('port_unavailable', `mqtt: cannot listen on ${host}:${port}: ${err.code ?? err.message}`));
    };
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

/** As bindServer, for a TLS listener (mqtts, README "TLS"); clients without a certificate are refused when required. */
export function bindTlsServer(host: string, port: number, t: ResolvedMockTls): Promise<TlsServer> {
  const server = createTlsServer(mockTlsServerOptions(t));
  return listenExclusive(server, host, port);
}

/** The port a listening server is bound to. */
export function boundPort(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}
