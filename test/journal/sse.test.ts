import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

test('an SSE stream is journaled as one open and one entry per event, not as an http entry', async (t) => {
  const m = await startMockd(t);
  const mock = await m.createMock({
    id: 'feed',
    http: { matcher: { path: '/feed' }, sse: { events: [{ type: 'tick', id: '7', data: { n: 1 } }, { data: 'plain' }] } },
  });
  const res = await fetchWithTimeout(`${m.mockUrl}/feed`);
  assert.equal(res.status, 200);
  await res.text();
  const waited = await m.api('/requests/wait', { method: 'POST', body: { filter: { protocol: 'sse', path: '/feed' }, count: 3, timeoutMs: 5000 } });
  const { body } = await m.api('/requests?protocol=sse');
  assert.equal(body.total, 3, JSON.stringify(waited.body));
  const [open, first, second] = body.requests;
  assert.match(open.sse.connectionId, /^sse-\d+$/);
  assert.deepEqual(open.sse, { connectionId: open.sse.connectionId, kind: 'open' });
  assert.equal(open.mockId, mock.id);
  assert.equal(open.matched, true);
  assert.deepEqual(first.sse, { connectionId: open.sse.connectionId, kind: 'event', eventType: 'tick', eventId: '7', data: '{"n":1}' });
  assert.deepEqual(second.sse, { connectionId: open.sse.connectionId, kind: 'event', data: 'plain' });
  assert.equal((await m.api('/requests?protocol=http')).body.total, 0, 'the stream is not also an http entry');
  assert.equal((await m.api(`/requests?connectionId=${open.sse.connectionId}`)).body.total, 3);
  assert.equal((await m.api('/requests?path=/feed')).body.total, 3);
  assert.equal((await m.api(`/mocks/${mock.id}/verify`)).body.callCount, 1, 'a stream counts once');
});
