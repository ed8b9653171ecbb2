// Shutdown (contract §1): every WebSocket client gets 1001 "server shutting down" before mockd stops.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../../helpers/mockd.ts';
import { connect, wsMock, wsUrl } from './helpers.ts';

test('closes every WebSocket client with 1001 "server shutting down" on shutdown', async (t) => {
  const m = await startMockd(t);
  await m.createMock(wsMock('one', { path: '/one' }));
  await m.createMock(wsMock('two', { path: '/two' }));
  const clients = [await connect(t, wsUrl(m.mockUrl, '/one')), await connect(t, wsUrl(m.mockUrl, '/two'))];
  const closes = clients.map((c) => c.closed());
  await m.close();
  for (const frame of await Promise.all(closes)) assert.deepEqual(frame, { code: 1001, reason: 'server shutting down' });
});
