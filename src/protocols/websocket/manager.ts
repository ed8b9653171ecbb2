// Live WebSocket connections of the http worker (contract §9.2) on top of the shared ConnectionRegistry: ids `ws-<n>`,
// records and stats exactly as the contract shows them, and the WebSocket's one extra verb, `send`.

import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { FaultTarget } from '../faults/connection-faults.ts';
import { MockdError, validationError } from '../../errors.ts';
import type { TemplateRequest } from '../../templating/index.ts';
import { isBase64 } from '../../util/base64.ts';
import type { CloseReason, ConnectionManager, Goodbye } from '../../contract/protocols.ts';
import { ConnectionRegistry, createIdSequence, registryVerbs, type RegistryVerbs } from '../connections.ts';
import { CLOSE_FOR_REASON } from './close-codes.ts';
import type { WsEndpoint } from './endpoint.ts';
import { WsSession, type MessageTotals } from './session.ts';
import type { WsConnection, WsStats } from './types.ts';
import type { TlsInfo } from '../../contract/tls.ts';

// list, get, close, closeByMock, closeAll and onEvent come from the shared registry (registryVerbs).
export interface WebSocketConnectionManager extends RegistryVerbs<WsConnection> {}

export class WebSocketConnectionManager implements ConnectionManager<WsConnection, WsStats> {
  readonly protocol = 'websocket' as const;
  readonly #registry = new ConnectionRegistry<WsConnection>('websocket');
  readonly #sessions = new Map<string, WsSession>();
  readonly #totals: MessageTotals = { totalMessagesSent: 0, totalMessagesRecv: 0 };
  readonly #nextId = createIdSequence('ws-');

  constructor() {
    Object.assign(this, registryVerbs(this.#registry));
  }

  /** Lists a new connection under the next `ws-<n>` id; `goodbye` closes it. Returns the live record. */
  open(fields: Pick<WsConnection, 'mockId' | 'path' | 'clientIp' | 'subprotocol' | 'tls'>, goodbye: Goodbye, target?: FaultTarget): WsConnection {
    const record: WsConnection = {
      id: this.#nextId(),
      mockId: fields.mockId,
      path: fields.path,
      clientIp: fields.clientIp,
      ...(fields.subprotocol ? { subprotocol: fields.subprotocol } : {}),
      ...(fields.tls ? { tls: fields.tls } : {}),
      connectedAt: new Date().toISOString(),
      messagesSent: 0,
      messagesRecv: 0,
      status: 'connected',
    };
    this.#registry.add(record, goodbye, target);
    return record;
  }

  /** The connection is gone; a reason asked for by close() wins over `reason`. */
  gone(record: WsConnection, reason?: CloseReason): void {
    this.#sessions.delete(record.id);
    this.#registry.remove(record.id, reason);
  }

  /** Takes an upgraded socket into management and starts serving it with `endpoint`; `clientIp` is `ip:port`. */
  accept(ws: WebSocket, endpoint: WsEndpoint, upgrade: TemplateRequest, clientIp: string, socket?: Socket, tls?: TlsInfo): WsSession {
    let session: WsSession | undefined;
    const fields = { mockId: endpoint.mockId, path: endpoint.path, clientIp, subprotocol: ws.protocol || undefined, tls };
    const target: FaultTarget = {
      socket: () => socket,
      closeWith: (fault) => session?.close({ code: fault.code ?? 1000, reason: fault.reason ?? '' }),
    };
    const record = this.open(fields, (reason) => session!.close(CLOSE_FOR_REASON[reason]), target);
    const faults = this.#registry.faults;
    session = new WsSession(ws, endpoint, record, upgrade, this.#totals, (gone, reason) => this.gone(gone.record, reason), (id) => faults.outbound(id));
    this.#sessions.set(record.id, session);
    session.start();
    return session;
  }

  /** Closes the connections accepted by one version of a mock, leaving any accepted by a newer version. */
  async closeEndpoint(endpoint: WsEndpoint, reason: CloseReason): Promise<number> {
    const ids = [...this.#sessions.values()].filter((s) => s.endpoint === endpoint).map((s) => s.id);
    const results = await Promise.all(ids.map((id) => this.#registry.close(id, reason)));
    return results.filter(Boolean).length;
  }

  /** Ids of the connections accepted by one version of a mock. */
  idsOf(endpoint: WsEndpoint): string[] {
    return [...this.#sessions.values()].filter((s) => s.endpoint === endpoint).map((s) => s.id);
  }

  /** `onChange: "keep"`: the connections of one version are served by the next from their next message on. */
  moveEndpoint(from: WsEndpoint, to: WsEndpoint): void {
    for (const s of this.#sessions.values()) if (s.endpoint === from) s.adopt(to);
  }

  /** Live connections of every WebSocket mock, for `--max-connections`. */
  get size(): number {
    return this.#registry.size;
  }

  /** Live connections accepted by one version of a mock, for `maxConnections`. */
  countOf(endpoint: WsEndpoint): number {
    let n = 0;
    for (const s of this.#sessions.values()) if (s.endpoint === endpoint) n++;
    return n;
  }

  /**
   * Sends one data frame to a client (`POST /websocket/connections/{id}/send`, §9.2); binary `data` is base64.
   * Resolves once the frame is written; an unknown or closing connection is `not_found`.
   */
  async send(id: string, type: string, data: string): Promise<void> {
    if (type !== 'text' && type !== 'binary') throw new MockdError('invalid_type', 'type must be "text" or "binary"');
    if (typeof data !== 'string') throw validationError('data', 'must be a string');
    if (type === 'binary' && !isBase64(data)) throw new MockdError('invalid_base64', 'data is not valid base64');
    const session = this.#sessions.get(id);
    const sent = session !== undefined && (await session.sendAndFlush(type === 'binary' ? Buffer.from(data, 'base64') : data, type === 'binary'));
    if (!sent) throw new MockdError('not_found', 'Connection not found');
  }

  stats(): WsStats {
    return {
      totalConnections: this.#registry.totalConnections,
      activeConnections: this.#registry.size,
      totalMessagesSent: this.#totals.totalMessagesSent,
      totalMessagesRecv: this.#totals.totalMessagesRecv,
      connectionsByMock: this.#registry.connectionsByMock(),
      ...this.#registry.tlsStat(),
    };
  }

}
