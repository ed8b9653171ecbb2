// Faults and chaos with worker pools (README "Faults and chaos", "Workers"): a connection fault reaches the member
// that holds the connection, whichever it is, and a chaos configuration reaches every member, so every client of a
// pool sees it. On a runtime that cannot share a port the pool has one member and the same checks hold.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../helpers/mockd.ts';
import { wsMock } from '../protocols/websocket/helpers.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';
import { assertBothMembers, CLIENTS, wsClients } from './pool-helpers.ts';

test('with --workers 2, a close fault reaches each connection on whichever member holds it', async (t) => {
  const m = await startMockd(t, { workers: 2 });
  await m.createMock(wsMock('ws', { path: '/ws', echoMode: true }));
  const clients = await wsClients(t, m, '/ws', CLIENTS);
  const records = (await m.api('/websocket/connections')).body.connections as { id: string; worker?: string }[];
  assertBothMembers(t, records, 'http');
  const closes = clients.map((c) => c.closed());
  for (const r of records) {
    const res = await m.api(`/websocket/connections/${r.id}/fault`, { method: 'POST', body: { kind: 'close', code: 4003 } });
    assert.equal(res.status, 200, `${r.id} on ${r.worker}`);
  }
  for (const closed of await Promise.all(closes)) assert.equal(closed.code, 4003);
});

test('with --workers 2, chaos reaches every member: every request fails, and stats sum the members', async (t) => {
  const m = await startMockd(t, { workers: 2 });
  await m.createMock({ id: 'a', type: 'http', http: { matcher: { path: '/a' }, response: { statusCode: 200 } } });
  await m.api('/chaos', { method: 'PUT', body: { enabled: true, errorRate: 1, errorStatus: 503 } });
  // New connections each time, so the kernel spreads the requests over both members.
  const statuses = await Promise.all(
    Array.from({ length: 20 }, () => fetchWithTimeout(`${m.mockUrl}/a`, { headers: { connection: 'close' } }).then((r) => r.status)),
  );
  assert.deepEqual([...new Set(statuses)], [503]);
  assert.equal((await m.api('/chaos/stats')).body.counts.errors, 20);
});
