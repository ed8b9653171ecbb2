// WebSocket frames in the request journal (contract §12): one entry per data frame in either direction, binary
// data as base64, filterable by connection and path, and counted by verify as frames received.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, roundTrip, startFileMockd, wsMock, wsUrl } from './helpers.ts';

const m = await startFileMockd();

test('journals each data frame in and out with its connection, direction, type and data', async (t) => {
  await m.createMock(wsMock('journaled', { path: '/journaled' }));
  const c = await connect(t, wsUrl(m.mockUrl, '/journaled?x=1'));
  const id = (await m.api('/mocks/journaled/websocket/connections')).body.connections[0].id;
  await roundTrip(c, 'hello');
  await roundTrip(c, Buffer.from([0, 1, 255]), true);

  const r = await m.api(`/requests?protocol=websocket&connectionId=${id}`);
  assert.equal(r.status, 200);
  const blocks = r.body.requests.map((e: { websocket: unknown }) => e.websocket);
  assert.deepEqual(blocks, [
    { connectionId: id, direction: 'in', messageType: 'text', data: 'hello' },
    { connectionId: id, direction: 'out', messageType: 'text', data: 'hello' },
    { connectionId: id, direction: 'in', messageType: 'binary', data: 'AAH/' },
    { connectionId: id, direction: 'out', messageType: 'binary', data: 'AAH/' },
  ]);
  assert.ok(r.body.requests.every((e: { mockId: string; matched: boolean }) => e.mockId === 'journaled' && e.matched === true));
  assert.equal((await m.api('/requests?protocol=websocket&path=/journaled')).body.total, 4);
  assert.equal((await m.api('/mocks/journaled/verify')).body.callCount, 2, 'frames received count as calls');
});
