// Connection routes of contract §9, written once for all four protocols from the protocol profile table: each
// protocol differs only in its routes and words. Every call goes admin → coordinator → worker pool → worker →
// ConnectionManager.

import type { H3 } from 'h3';
import { MockdError } from '../errors.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { PROTOCOL_PROFILES } from '../contract/profiles.ts';
import { json, param } from './respond.ts';

export function registerConnectionRoutes(app: H3, c: Coordinator): void {
  for (const p of Object.values(PROTOCOL_PROFILES)) {
    const { list, stats, scoped } = p.routes;
    // The literal stats route is registered first so that `/mqtt-connections/stats` wins over `{id}` (§9.4).
    app.get(stats, () => c.connectionStats(p.protocol).then((s) => json(200, s)));

    app.get(list, async () => {
      const [connections, s] = await Promise.all([c.listConnections(p.protocol), c.connectionStats(p.protocol)]);
      return json(200, { [p.listKey]: connections, stats: s });
    });

    app.get(`${list}/:id`, async (event) => {
      const conn = await c.getConnection(p.protocol, param(event, 'id'));
      if (!conn) throw new MockdError('not_found', p.api.notFound);
      return json(200, conn);
    });

    app.delete(`${list}/:id`, async (event) => {
      const id = param(event, 'id');
      if (!(await c.closeConnection(p.protocol, id, 'admin'))) throw new MockdError('not_found', p.api.notFound);
      return json(200, p.api.closed(id));
    });

    app.get(`/mocks/:id/${scoped}/connections`, async (event) => {
      const mock = c.requireMock(param(event, 'id'));
      const connections = p.serves(mock) ? await c.listConnections(p.protocol, mock.id) : [];
      return json(200, { [p.listKey]: connections, count: connections.length, mockId: mock.id });
    });

    app.delete(`/mocks/:id/${scoped}/connections`, async (event) => {
      const mock = c.requireMock(param(event, 'id'));
      const closed = p.serves(mock) ? await c.closeConnectionsOfMock(p.protocol, mock.id, 'admin') : 0;
      return json(200, { message: p.api.closedMany, closed, mockId: mock.id });
    });
  }
}
