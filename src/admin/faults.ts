// Faults on live connections (README "Faults and chaos"), for all four protocols from the profile table:
// `POST|DELETE /<protocol>/connections/{id}/fault` and `POST|DELETE /mocks/{id}/<protocol>/faults`. Every call goes
// admin → coordinator → worker pool → the member that holds the connection → ConnectionManager.

import type { H3 } from 'h3';
import { MockdError } from '../errors.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { PROTOCOL_PROFILES } from '../contract/profiles.ts';
import { LASTING_KINDS } from '../contract/faults.ts';
import { parseConnectionFault } from '../mocks/schema/faults.ts';
import { json, param, readJson } from './respond.ts';

export function registerFaultRoutes(app: H3, c: Coordinator): void {
  for (const p of Object.values(PROTOCOL_PROFILES)) {
    const { list, scoped } = p.routes;

    app.post(`${list}/:id/fault`, async (event) => {
      const id = param(event, 'id');
      const fault = parseConnectionFault(await readJson(event), p.protocol);
      if (!(await c.faultConnection(p.protocol, id, fault))) throw new MockdError('not_found', p.api.notFound);
      return json(200, { message: `fault ${fault.kind} applied`, id, fault, lasting: LASTING_KINDS.includes(fault.kind) });
    });

    app.delete(`${list}/:id/fault`, async (event) => {
      const id = param(event, 'id');
      if (!(await c.liftConnectionFault(p.protocol, id))) throw new MockdError('not_found', p.api.notFound);
      return json(200, { message: 'faults lifted', id });
    });

    app.post(`/mocks/:id/${scoped}/faults`, async (event) => {
      const mock = c.requireMock(param(event, 'id'));
      const fault = parseConnectionFault(await readJson(event), p.protocol);
      const applied = p.serves(mock) ? await c.faultConnectionsOfMock(p.protocol, mock.id, fault) : 0;
      return json(200, { message: `fault ${fault.kind} applied`, applied, mockId: mock.id, fault });
    });

    app.delete(`/mocks/:id/${scoped}/faults`, async (event) => {
      const mock = c.requireMock(param(event, 'id'));
      const lifted = p.serves(mock) ? await c.liftConnectionFaultsOfMock(p.protocol, mock.id) : 0;
      return json(200, { message: 'faults lifted', lifted, mockId: mock.id });
    });
  }
}
