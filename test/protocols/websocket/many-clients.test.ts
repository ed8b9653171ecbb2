// 500 concurrent clients on one mock: the listing holds every one, and a single mock update closes them all with
// 1012 before the admin call returns (contract §9.1, §9.6), well within the coordinator's 5 s call bound.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, roundTrip, startFileMockd, wsMock, wsUrl } from './helpers.ts';

const CLIENTS = 500;
const m = await startFileMockd();

test(`lists ${CLIENTS} concurrent clients and closes them all with 1012 on one mock update`, async (t) => {
  await m.createMock(wsMock('crowd', { path: '/crowd' }));
  await m.createMock(wsMock('bystander', { path: '/bystander' }));
  const bystander = await connect(t, wsUrl(m.mockUrl, '/bystander'));
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect(t, wsUrl(m.mockUrl, '/crowd'))));

  const listed = await m.api('/mocks/crowd/websocket/connections');
  assert.equal(listed.body.count, CLIENTS);
  assert.equal(new Set(listed.body.connections.map((c: { id: string }) => c.id)).size, CLIENTS);
  const all = await m.api('/websocket/connections');
  assert.equal(all.body.connections.filter((c: { mockId: string }) => c.mockId === 'crowd').length, CLIENTS);
  assert.equal(all.body.stats.connectionsByMock.crowd, CLIENTS);

  const closes = clients.map((c) => c.closed(10_000));
  const started = performance.now();
  const r = await m.api('/mocks/crowd', { method: 'PUT', body: wsMock('crowd', { path: '/crowd', echoMode: false }) });
  const elapsed = performance.now() - started;
  assert.equal(r.status, 200);
  assert.ok(elapsed < 5000, `update took ${elapsed.toFixed(0)} ms`);
  assert.equal((await m.api('/mocks/crowd/websocket/connections')).body.count, 0);
  const frames = await Promise.all(closes);
  assert.ok(frames.every((f) => f.code === 1012 && f.reason === 'mock updated'));
  assert.equal((await roundTrip(bystander, 'still here')).text, 'still here');
});
