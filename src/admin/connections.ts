// Connection routes of contract §9, written once for all four protocols. Each protocol differs only in its route
// prefix and its words (connections vs streams); every call goes admin → coordinator → worker → ConnectionManager.

import type { H3 } from 'h3';
import { MockdError } from '../errors.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import type { Protocol } from '../protocols/connections.ts';
import { workerForType } from '../coordinator/workers.ts';
import { workerForProtocol } from '../coordinator/workers.ts';
import { isSseMock, type Mock } from '../mocks/types.ts';
import { json, param } from './respond.ts';

interface ProtocolRoutes {
  protocol: Protocol;
  /** Collection route; `${list}/:id` is one connection. */
  list: string;
  stats: string;
  /** Segment of the mock-scoped route `/mocks/:id/<scoped>/connections`. */
  scoped: string;
  /** `connections` for most, `streams` for gRPC. */
  listKey: 'connections' | 'streams';
  notFound: string;
  closed: (id: string) => Record<string, string>;
  closedMany: string;
}

export const PROTOCOL_ROUTES: readonly ProtocolRoutes[] = [
  {
    protocol: 'websocket', list: '/websocket/connections', stats: '/websocket/stats', scoped: 'websocket', listKey: 'connections',
    notFound: 'Connection not found', closed: (id) => ({ message: 'Connection closed', connection: id }), closedMany: 'Connections closed',
  },
  {
    protocol: 'sse', list: '/sse/connections', stats: '/sse/stats', scoped: 'sse', listKey: 'connections',
    notFound: 'Connection not found', closed: (id) => ({ message: 'Connection closed', connection: id }), closedMany: 'Connections closed',
  },
  {
    protocol: 'mqtt', list: '/mqtt-connections', stats: '/mqtt-connections/stats', scoped: 'mqtt', listKey: 'connections',
    notFound: 'Connection not found', closed: (id) => ({ message: 'Connection closed', connection: id }), closedMany: 'Connections closed',
  },
  {
    protocol: 'grpc', list: '/grpc/connections', stats: '/grpc/stats', scoped: 'grpc', listKey: 'streams',
    notFound: 'Stream not found', closed: (id) => ({ message: 'Stream cancelled', stream: id }), closedMany: 'Streams cancelled',
  },
];

/** Whether a mock's connections live in this protocol's manager (an SSE mock is an http mock with `sse`). */
function mockServesProtocol(mock: Mock, protocol: Protocol): boolean {
  if (protocol === 'sse') return isSseMock(mock);
  if (protocol === 'websocket') return mock.type === 'websocket';
  return mock.type === protocol && workerForType(mock.type) === workerForProtocol(protocol);
}

export function registerConnectionRoutes(app: H3, c: Coordinator): void {
  for (const r of PROTOCOL_ROUTES) {
    // The literal stats route is registered first so that `/mqtt-connections/stats` wins over `{id}` (§9.4).
    app.get(r.stats, () => c.connectionStats(r.protocol).then((s) => json(200, s)));

    app.get(r.list, async () => {
      const [list, stats] = await Promise.all([c.listConnections(r.protocol), c.connectionStats(r.protocol)]);
      return json(200, { [r.listKey]: list, stats });
    });

    app.get(`${r.list}/:id`, async (event) => {
      const conn = await c.getConnection(r.protocol, param(event, 'id'));
      if (!conn) throw new MockdError('not_found', r.notFound);
      return json(200, conn);
    });

    app.delete(`${r.list}/:id`, async (event) => {
      const id = param(event, 'id');
      if (!(await c.closeConnection(r.protocol, id, 'admin'))) throw new MockdError('not_found', r.notFound);
      return json(200, r.closed(id));
    });

    app.get(`/mocks/:id/${r.scoped}/connections`, async (event) => {
      const mock = c.requireMock(param(event, 'id'));
      const list = mockServesProtocol(mock, r.protocol) ? await c.listConnections(r.protocol, mock.id) : [];
      return json(200, { [r.listKey]: list, count: list.length, mockId: mock.id });
    });

    app.delete(`/mocks/:id/${r.scoped}/connections`, async (event) => {
      const mock = c.requireMock(param(event, 'id'));
      const closed = mockServesProtocol(mock, r.protocol) ? await c.closeConnectionsOfMock(r.protocol, mock.id, 'admin') : 0;
      return json(200, { message: r.closedMany, closed, mockId: mock.id });
    });
  }
}
