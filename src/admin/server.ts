// Serving the admin app with listhen on the main thread.
// listhen quietly moves to another port when the asked one is busy (get-port-please falls back to 3000–3100 and
// then to a random port), so the port is passed as a strict object and checked after listening.

import { listen, type Listener } from 'listhen';
import { toNodeHandler } from 'h3/node';
import type { H3 } from 'h3';
import type { AddressInfo } from 'node:net';
import type { Server as TlsServer } from 'node:tls';
import { withReasonPhrases } from './reason-phrase.ts';
import { withLingeringClose } from './lingering-close.ts';

export interface AdminServer {
  port: number;
  /** `--admin-tls`: the admin API speaks HTTPS with mockd's certificate. */
  tls: boolean;
  /** New handshakes use this certificate (`POST /tls/reload`, SIGHUP); a plain admin API ignores it. */
  reloadTls(cert: { cert: string; key: string }): void;
  close(): Promise<void>;
}

export class PortBusyError extends Error {}

export async function serveAdmin(app: H3, host: string, port: number, headersTimeoutMs = 10_000, tls?: { cert: string; key: string }): Promise<AdminServer> {
  const strictPort = port === 0 ? { port: 0, random: true, host } : { port, ports: [], portRange: [] as [], alternativePortRange: [] as [], random: false, host };
  let listener: Listener;
  try {
    listener = await listen(withReasonPhrases(withLingeringClose(toNodeHandler(app))), {
      port: strictPort as never,
      hostname: host,
      // listhen takes inline PEM text (it reads a value as a file path unless it starts with `--`).
      https: tls ? { cert: tls.cert, key: tls.key } : false,
      showURL: false,
      autoClose: false,
      open: false,
      clipboard: false,
      qr: false,
      public: false,
      tunnel: false,
      isTest: false,
    });
  } catch (err) {
    throw new PortBusyError(`admin port ${port} is not available: ${(err as Error).message}`);
  }
  // Slowloris guard on the admin port too. listhen creates the server, so Node checks these on its default 30 s
  // sweep: a client that stalls its headers is dropped within headersTimeout + 30 s.
  listener.server.headersTimeout = headersTimeoutMs;
  listener.server.requestTimeout = Math.max(30_000, headersTimeoutMs);
  const actual = (listener.server.address() as AddressInfo).port;
  if (port !== 0 && actual !== port) {
    await listener.close();
    throw new PortBusyError(`admin port ${port} is not available`);
  }
  return {
    port: actual,
    tls: tls !== undefined,
    reloadTls(next) {
      if (tls) (listener.server as TlsServer).setSecureContext({ cert: next.cert, key: next.key });
    },
    async close() {
      const server = listener.server;
      const closed = listener.close();
      // Open SSE clients (/events) would keep close() waiting forever.
      server.closeAllConnections();
      await closed;
    },
  };
}
