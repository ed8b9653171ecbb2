// WebSocket mocks on the mock port (contract §5): the http host hands every upgrade request here. Each enabled mock
// version is an endpoint with its own `ws` server (noServer: the http host owns the listening socket), and each
// accepted socket becomes a session in the WebSocketConnectionManager. All per-message work stays in this worker.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Mock } from '../../mocks/types.ts';
import { clientAddressOf } from '../../util/client-address.ts';
import { metrics } from '../../metrics/collector.ts';
import { mockCounter, type PoolCounter } from '../pool-counts.ts';
import type { WebSocketService, WebSocketServiceFactory } from '../mock-port/services.ts';
import { compileEndpoint, type WsEndpoint } from './endpoint.ts';
import { WebSocketConnectionManager } from './manager.ts';
import { chooseSubprotocol, offeredSubprotocols, pathOf, refuseUpgrade, toTemplateRequest } from './upgrade.ts';

/** One served mock version: its compiled endpoint and the `ws` server that completes its handshakes. */
interface Served {
  endpoint: WsEndpoint;
  wss: WebSocketServer;
  /** This version's clients across the worker pool, for its `maxConnections` (absent outside a pool). */
  pooled?: PoolCounter;
}

function serve(endpoint: WsEndpoint, capSlot?: number): Served {
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    // ws closes with 1009 once a frame or a fragmented message exceeds this (§5 `maxMessageSize`).
    maxPayload: endpoint.maxMessageSize,
    // Without this hook ws would pick the client's first offer; §5 picks the mock's first entry the client offers.
    handleProtocols: (offered) => chooseSubprotocol(endpoint.subprotocols, [...offered]) ?? false,
  });
  return { endpoint, wss, pooled: endpoint.maxConnections > 0 ? mockCounter(capSlot) : undefined };
}

const TOO_MANY_CONNECTIONS = { error: 'too_many_connections', message: 'websocket: maximum connections reached' };

class WsService implements WebSocketService {
  readonly manager = new WebSocketConnectionManager();
  readonly #byPath = new Map<string, Served>();
  readonly #byMock = new Map<string, Served>();
  #shuttingDown = false;

  /** `maxConnections`: `--max-connections`, live clients across every WebSocket mock (0 = unlimited). */
  constructor(private readonly maxConnections: number) {}

  /**
   * Serves the new version at once, then closes the previous version's clients with 1012 (§9.6). Swapping first
   * means a client that reconnects on 1012 already meets the new definition, and the path is never unserved.
   */
  async apply(mock: Mock, capSlot?: number): Promise<void> {
    if (mock.type !== 'websocket' || !mock.websocket || !mock.enabled) return this.remove(mock.id);
    const next = serve(compileEndpoint(mock), capSlot);
    const previous = this.#byMock.get(mock.id);
    if (previous) this.#unroute(previous);
    this.#byMock.set(mock.id, next);
    this.#byPath.set(next.endpoint.path, next);
    if (previous) await this.#retire(previous);
  }

  /** Stops serving the mock's path (the next upgrade gets 404) and closes its clients with 1012. */
  async remove(mockId: string): Promise<void> {
    const served = this.#byMock.get(mockId);
    if (!served) return;
    this.#byMock.delete(mockId);
    this.#unroute(served);
    await this.#retire(served);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = pathOf(req.url);
    if (this.#shuttingDown) return refuseUpgrade(socket, 503, { error: 'server_shutting_down', message: 'server shutting down' });
    const served = this.#byPath.get(path);
    if (!served) return refuseUpgrade(socket, 404, { error: 'websocket_endpoint_not_found', path });
    const { endpoint, wss, pooled } = served;
    if (endpoint.requireSubprotocol && !chooseSubprotocol(endpoint.subprotocols, offeredSubprotocols(req))) {
      return refuseUpgrade(socket, 400, {
        error: 'subprotocol_required',
        message: `websocket: a subprotocol is required, one of: ${endpoint.subprotocols.join(', ')}`,
      });
    }
    // ws completes a handshake synchronously (no verifyClient), so neither count can race another upgrade in this
    // worker. Both caps count the whole worker pool (README "Workers").
    if (this.maxConnections > 0 && this.manager.poolSize >= this.maxConnections) {
      metrics.refused('websocket', endpoint.mockId);
      return refuseUpgrade(socket, 503, TOO_MANY_CONNECTIONS);
    }
    // A pooled per-mock cap is reserved before the handshake completes: the 101 leaves this thread before the accept
    // callback runs, and a client that reconnects at once may reach another member in between. A burst that reserves
    // on two members at once may refuse one client too many, never admit one.
    let reserved = false;
    if (endpoint.maxConnections > 0) {
      if (pooled) {
        pooled.add(1);
        if (pooled.value > endpoint.maxConnections) {
          pooled.add(-1);
          metrics.refused('websocket', endpoint.mockId);
          return refuseUpgrade(socket, 503, TOO_MANY_CONNECTIONS);
        }
        reserved = true;
      } else if (this.manager.countOf(endpoint) >= endpoint.maxConnections) {
        metrics.refused('websocket', endpoint.mockId);
        return refuseUpgrade(socket, 503, TOO_MANY_CONNECTIONS);
      }
    }
    let accepted = false;
    if (reserved) socket.once('close', () => accepted || pooled!.add(-1));
    wss.handleUpgrade(req, socket, head, (ws) => {
      accepted = true;
      if (reserved) ws.once('close', () => pooled!.add(-1));
      this.manager.accept(ws, endpoint, toTemplateRequest(req, path), clientAddressOf(req.socket));
    });
  }

  /** Shutdown: refuses new upgrades and closes every client with 1001 "server shutting down" (§1). */
  async close(): Promise<void> {
    this.#shuttingDown = true;
    const all = [...this.#byMock.values()];
    this.#byMock.clear();
    this.#byPath.clear();
    await this.manager.closeAll('shutdown');
    for (const served of all) served.wss.close();
  }

  #unroute(served: Served): void {
    if (this.#byPath.get(served.endpoint.path) === served) this.#byPath.delete(served.endpoint.path);
  }

  async #retire(served: Served): Promise<void> {
    await this.manager.closeEndpoint(served.endpoint, 'mock_changed');
    served.wss.close();
  }
}

export const createWebSocketService: WebSocketServiceFactory = (options) => new WsService(options.maxConnections ?? 0);
