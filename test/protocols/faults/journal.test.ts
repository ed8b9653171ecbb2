// Every fault is journaled (README "Faults and chaos"): a fault on a live connection and its lifting are entries with a
// `fault` block, listed with `GET /requests?faults=true` and left out of the traffic listings; a faulted HTTP request
// is journaled with the fault that broke or replaced its answer.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, startFileMockd, wsMock, wsUrl } from '../websocket/helpers.ts';
import { eventually } from '../../helpers/mockd.ts';
import { fetchWithTimeout } from '../../helpers/wait.ts';

const m = await startFileMockd();

before(async () => {
  await m.createMock(wsMock('echo', { path: '/echo', echoMode: true }));
  await m.createMock({ id: 'broken', type: 'http', http: { matcher: { path: '/broken' }, response: { statusCode: 200, body: 'ok' } }, faults: { fault: 'empty' } });
  await m.createMock({ id: 'failing', type: 'http', http: { matcher: { path: '/failing' }, response: { statusCode: 200, body: 'ok' } }, faults: { errorRate: 1, errorStatus: 502 } });
});

test('a fault applied to a live WebSocket connection and lifted again are two journal entries', async (t) => {
  await connect(t, wsUrl(m.mockUrl, '/echo'));
  const [conn] = (await m.api('/mocks/echo/websocket/connections')).body.connections;
  assert.equal((await m.api(`/websocket/connections/${conn.id}/fault`, { method: 'POST', body: { kind: 'stall' } })).status, 200);
  assert.equal((await m.api(`/websocket/connections/${conn.id}/fault`, { method: 'DELETE' })).status, 200);

  const entries = await eventually(
    async () => (await m.api(`/requests?faults=true&mockId=echo`)).body.requests as any[],
    (list) => list.length >= 2,
  );
  const actions = entries.map((e) => [e.protocol, e.mockId, e.fault.kind, e.fault.action, e.fault.source, e.fault.connectionId]);
  assert.deepEqual(actions.slice(-2).sort(), [
    ['websocket', 'echo', 'stall', 'applied', 'admin', conn.id],
    ['websocket', 'echo', 'all', 'lifted', 'admin', conn.id],
  ].sort());
  // The traffic listing and verify leave fault entries out.
  const traffic = (await m.api('/requests?mockId=echo')).body.requests as any[];
  assert.ok(traffic.every((e) => e.fault === undefined), JSON.stringify(traffic));
});

test('a faulted HTTP request is journaled with its fault: a broken answer has status 0, an injected error its status', async () => {
  await fetchWithTimeout(`${m.mockUrl}/broken`).then((r) => r.text()).catch(() => undefined);
  const failing = await fetchWithTimeout(`${m.mockUrl}/failing`);
  assert.equal(failing.status, 502);
  await failing.text();
  const broken = await eventually(async () => (await m.api('/requests?mockId=broken')).body.requests as any[], (l) => l.length >= 1);
  assert.equal(broken[0].http.fault, 'empty');
  assert.equal(broken[0].http.statusCode, 0);
  const failed = await eventually(async () => (await m.api('/requests?mockId=failing')).body.requests as any[], (l) => l.length >= 1);
  assert.equal(failed[0].http.fault, 'error-502');
  assert.equal(failed[0].http.statusCode, 502);
  // Each is also a fault entry of its own (from the fault event).
  const faults = await eventually(async () => (await m.api('/requests?faults=true&protocol=http')).body.requests as any[], (l) => l.length >= 2);
  assert.deepEqual(faults.map((e) => `${e.mockId}:${e.fault.kind}:${e.fault.source}`).sort(), ['broken:empty:mock', 'failing:error-502:mock']);
});

test('?faults= takes only true or false', async () => {
  const bad = await m.api('/requests?faults=maybe');
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body), /faults/);
});
