// WebSocket mocks on the mock port (contract §5): the http host hands every upgrade request here. Each enabled mock
// version is an endpoint with its own `ws` server (noServer: the http host owns the listening socket), and each
// accepted socket becomes a session in the WebSocketConnectionManager. All per-message work stays in this worker.

import type { Socket } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Mock } from '../../mocks/types.ts';
import { planChange } from '../../mocks/change-policy.ts';
import { closeAfter } from '../drain.ts';
import { clientAddressOf } from '../../util/client-address.ts';
import { metrics } from '../../metrics/collector.ts';
import { liveCounter, mockCounter, type PoolCounter } from '../pool-counts.ts';
import type { WebSocketService, WebSocketServiceFactory } from '../mock-port/services.ts';
import { compileEndpoint, type WsEndpoint } from './endpoint.ts';
import { clientCertOf, tlsInfoOf, tlsTemplateViewOf } from '../tls/client-info.ts';
import { WebSocketConnectionManager } from './manager.ts';
import { chooseSubprotocol, offeredSubprotocols, pathOf, refuseUpgrade, toTemplateRequest } from './upgrade.ts';

/** One served mock version: its compiled endpoint and the `ws` server that completes its handshakes. */
interface Served {
  /** The mock version, for what its change does to its clients (onChange). */
  mock: Mock;
  endpoint: WsEndpoint;
  wss: WebSocketServer;
  /** This version's clients across the worker pool, for its `maxConnections` (absent outside a pool). */
  pooled?: PoolCounter;
}

function serve(mock: Mock, endpoint: WsEndpoint, capSlot?: number): Served {
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    // ws closes with 1009 once a frame or a fragmented message exceeds this (§5 `maxMessageSize`).
    maxPayload: endpoint.maxMessageSize,
    // Without this hook ws would pick the client's first offer; §5 picks the mock's first entry the client offers.
    handleProtocols: (offered) => chooseSubprotocol(endpoint.subprotocols, [...offered]) ?? false,
  });
  return { mock, endpoint, wss, pooled: endpoint.maxConnections > 0 ? mockCounter(capSlot) : undefined };
}

const TOO_MANY_CONNECTIONS = { error: 'too_many_connections', message: 'websocket: maximum connections reached' };

class WsService implements WebSocketService {
  readonly manager = new WebSocketConnectionManager();
  /** Live clients of every WebSocket mock across the pool, for `--max-connections`. */
  readonly #live = liveCounter('websocket');
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
    const next = serve(mock, compileEndpoint(mock), capSlot);
    const previous = this.#byMock.get(mock.id);
    if (previous) this.#unroute(previous);
    this.#byMock.set(mock.id, next);
    this.#byPath.set(next.endpoint.path, next);
    if (previous) await this.#retire(previous, next);
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
    if (endpoint.clientCertFits && !endpoint.clientCertFits(clientCertOf(req.socket))) {
      return refuseUpgrade(socket, 403, { error: 'client_certificate_mismatch', message: 'websocket: this endpoint needs a client certificate that fits its mtls matcher', path });
    }
    if (endpoint.requireSubprotocol && !chooseSubprotocol(endpoint.subprotocols, offeredSubprotocols(req))) {
      return refuseUpgrade(socket, 400, {
        error: 'subprotocol_required',
        message: `websocket: a subprotocol is required, one of: ${endpoint.subprotocols.join(', ')}`,
      });
    }
    // Both caps hold for the whole worker pool (README "Workers") and are taken before the handshake completes: the
    // 101 leaves this thread before the accept callback runs, and a client that reconnects at once may reach another
    // member in between. A taken slot is given back when the socket closes, handshake or not.
    if (socket.destroyed) return;
    const taken: PoolCounter[] = [];
    const take = (counter: PoolCounter, max: number) => max <= 0 || (counter.tryTake(max) && taken.push(counter) > 0);
    const fits =
      take(this.#live, this.maxConnections) &&
      (pooled ? take(pooled, endpoint.maxConnections) : endpoint.maxConnections <= 0 || this.manager.countOf(endpoint) < endpoint.maxConnections);
    const giveBack = () => taken.forEach((c) => c.add(-1));
    if (!fits) {
      giveBack();
      metrics.refused('websocket', endpoint.mockId);
      return refuseUpgrade(socket, 503, TOO_MANY_CONNECTIONS);
    }
    if (taken.length > 0) socket.once('close', giveBack);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const tls = tlsTemplateViewOf(req.socket);
      const upgrade = toTemplateRequest(req, path);
      if (tls) upgrade.tls = tls;
      this.manager.accept(ws, endpoint, upgrade, clientAddressOf(req.socket), req.socket as Socket, tlsInfoOf(req.socket));
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

  /**
   * The previous version's clients, as its mock's onChange says (README "Mock changes"): `close` sends 1012 now,
   * `drain` lets them stay on the old version for drainTimeoutMs, `keep` moves them onto `next` (its matchers answer
   * their next message; timers and scenario they started with run on). Without `next` (deleted, disabled) there is
   * nothing to keep.
   */
  async #retire(served: Served, next?: Served): Promise<void> {
    const plan = planChange(served.mock, next?.mock);
    if (plan.action === 'keep' && next) this.manager.moveEndpoint(served.endpoint, next.endpoint);
    else if (plan.action === 'drain') {
      closeAfter(this.manager.idsOf(served.endpoint), plan.drainTimeoutMs, (id) => this.manager.close(id, 'mock_changed'));
    } else await this.manager.closeEndpoint(served.endpoint, 'mock_changed');
    served.wss.close();
  }
}

export const createWebSocketService: WebSocketServiceFactory = (options) => new WsService(options.maxConnections ?? 0);
