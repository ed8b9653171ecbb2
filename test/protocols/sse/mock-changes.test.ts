// SSE streams when their mock changes (contract §4 "Disconnect by admin or mock change", §9.6): the response ends
// cleanly with no final event before the admin call answers, other mocks' streams carry on, and a reconnect is
// matched afresh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import { startMockd, type Admin } from '../../helpers/mockd.ts';
import type { RunningMockd } from '../../../src/server.ts';
import { openStream, sseMock, ticking, type StreamReader } from './helpers.ts';
import { deferred, fetchWithTimeout, within } from '../../helpers/wait.ts';

const BYE = { lifecycle: { termination: { finalEvent: { type: 'bye', data: 'bye' } } } };

interface Change {
  name: string;
  run(m: Admin, id: string): Promise<{ status: number }>;
  status: number;
  /** What a new request to the mock's path gets afterwards. */
  after: { status: number; firstData?: string };
}

const changes: Change[] = [
  {
    name: 'replaced with PUT',
    run: (m, id) => m.api(`/mocks/${id}`, { method: 'PUT', body: sseMock(id, { events: [{ data: 'v2' }] }) }),
    status: 200,
    after: { status: 200, firstData: 'data:v2' },
  },
  {
    name: 'renamed with PATCH',
    run: (m, id) => m.api(`/mocks/${id}`, { method: 'PATCH', body: { name: 'renamed' } }),
    status: 200,
    after: { status: 200, firstData: 'data:tick-1' },
  },
  { name: 'toggled off', run: (m, id) => m.api(`/mocks/${id}/toggle`, { method: 'POST' }), status: 200, after: { status: 404 } },
  { name: 'deleted', run: (m, id) => m.api(`/mocks/${id}`, { method: 'DELETE' }), status: 204, after: { status: 404 } },
];

async function streamIds(m: Admin): Promise<{ id: string; mockId: string }[]> {
  return (await m.api('/sse/connections')).body.connections;
}

/** Resolves once `reader` has received `more` events beyond what it has now. */
function receivesMore(reader: StreamReader, more = 2): Promise<string> {
  const count = reader.eventCount;
  return reader.until(() => reader.eventCount >= count + more);
}

describe('when an SSE mock changes', () => {
  let m: RunningMockd & Admin;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    m = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
  });
  after(() => Promise.all(cleanups.map((fn) => fn())));

  for (const change of changes) {
    test(`ends its streams cleanly with no final event when it is ${change.name}, and leaves other mocks' streams alone`, async (t) => {
      const id = `chg_${change.name.split(' ')[0]}`;
      await m.createMock(sseMock(id, ticking(20, BYE)));
      await m.createMock(sseMock(`${id}_other`, ticking(20, BYE)));
      const target = await openStream(t, `${m.mockUrl}/${id}`);
      const other = await openStream(t, `${m.mockUrl}/${id}_other`);
      await Promise.all([target.until('data:tick-1'), other.until('data:tick-1')]);
      const [targetConn] = (await streamIds(m)).filter((c) => c.mockId === id);

      const r = await change.run(m, id);
      assert.equal(r.status, change.status);
      const listed = await streamIds(m);
      assert.equal(listed.some((c) => c.id === targetConn!.id), false, 'gone from the listing before the call answered');
      assert.equal(listed.some((c) => c.mockId === `${id}_other`), true);

      assert.equal(await target.end(), 'end');
      assert.equal(target.text.includes('event:bye'), false);
      await receivesMore(other);

      if (change.after.firstData) {
        const again = await openStream(t, `${m.mockUrl}/${id}`);
        assert.equal(again.response.status, 200);
        const text = await again.until(change.after.firstData);
        assert.ok(text.startsWith(`retry: 3000\n\n${change.after.firstData}`), JSON.stringify(text));
      } else {
        const again = await fetchWithTimeout(`${m.mockUrl}/${id}`, { signal: AbortSignal.timeout(3000) });
        assert.equal(again.status, change.after.status);
        assert.equal((await again.json()).error, 'no_match');
      }
    });
  }

  test('lets an EventSource reconnect to the new definition, and fail once the mock is gone', async (t) => {
    const v = (data: string) => sseMock('chg_es', { generator: { type: 'template', template: { events: [{ data, retry: 20 }], repeat: 0 } }, timing: { fixedDelay: 20 } });
    await m.createMock(v('v1'));
    const es = new EventSource(`${m.mockUrl}/chg_es`);
    t.after(() => es.close());
    const next = (predicate: (data: string) => boolean) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching message within 3 s')), 3000);
        es.onmessage = (e) => {
          if (predicate(e.data)) {
            clearTimeout(timer);
            resolve(e.data);
          }
        };
      });
    assert.equal(await next((d) => d === 'v1'), 'v1');

    const connected = (await streamIds(m)).filter((c) => c.mockId === 'chg_es').map((c) => c.id);
    assert.equal((await m.api('/mocks/chg_es', { method: 'PUT', body: v('v2') })).status, 200);
    assert.equal(await next((d) => d !== 'v1'), 'v2');
    const reconnected = (await streamIds(m)).filter((c) => c.mockId === 'chg_es').map((c) => c.id);
    assert.equal(reconnected.length, 1);
    assert.notEqual(reconnected[0], connected[0]);

    const failed = deferred<{ code?: number }>();
    es.onerror = (e) => {
      if (es.readyState === EventSource.CLOSED) failed.resolve(e as { code?: number });
    };
    assert.equal((await m.api('/mocks/chg_es', { method: 'DELETE' })).status, 204);
    const error = await within(failed.promise, 'the EventSource failing for good', 3000);
    assert.equal(error.code, 404);
  });

  test('leaves SSE streams alone on DELETE /mocks?type=websocket and ends them all on DELETE /mocks?type=http', async (t) => {
    await m.createMock(sseMock('chg_all_a', ticking(20, BYE)));
    await m.createMock(sseMock('chg_all_b', ticking(20, BYE)));
    const a = await openStream(t, `${m.mockUrl}/chg_all_a`);
    const b = await openStream(t, `${m.mockUrl}/chg_all_b`);
    await Promise.all([a.until('data:tick-1'), b.until('data:tick-1')]);

    assert.equal((await m.api('/mocks?type=websocket', { method: 'DELETE' })).status, 204);
    await Promise.all([receivesMore(a), receivesMore(b)]);

    assert.equal((await m.api('/mocks?type=http', { method: 'DELETE' })).status, 204);
    assert.deepEqual(await streamIds(m), []);
    assert.deepEqual(await Promise.all([a.end(), b.end()]), ['end', 'end']);
    assert.equal(a.text.includes('event:bye') || b.text.includes('event:bye'), false);
    const stats = (await m.api('/sse/stats')).body;
    assert.equal(stats.activeConnections, 0);
    assert.deepEqual(stats.connectionsByMock, {});
  });
});
