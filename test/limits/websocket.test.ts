// `--max-connections` for WebSocket (README "Limits"): one cap on live clients across every WebSocket mock, on top of
// each mock's own `maxConnections` (contract §5). A refused upgrade is a plain HTTP 503 and leaves no trace.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startMockd } from '../helpers/mockd.ts';
import { connect, refusedUpgrade, roundTrip, wsMock, wsUrl } from '../protocols/websocket/helpers.ts';

const TOO_MANY = { error: 'too_many_connections', message: 'websocket: maximum connections reached' };

describe('with --max-connections 2', () => {
  test('answers 503 too_many_connections to a third client across two mocks, and accepts again once one left', async (t) => {
    const m = await startMockd(t, { maxConnections: 2 });
    await m.createMock(wsMock('ws_a', { path: '/a' }));
    await m.createMock(wsMock('ws_b', { path: '/b' }));
    const first = await connect(t, wsUrl(m.mockUrl, '/a'));
    await connect(t, wsUrl(m.mockUrl, '/b'));

    for (const path of ['/a', '/b']) {
      const refused = await refusedUpgrade(wsUrl(m.mockUrl, path));
      assert.equal(refused.status, 503);
      assert.deepEqual(refused.body, TOO_MANY);
    }

    // The refusals were never connections: not listed, not counted.
    const list = (await m.api('/websocket/connections')).body;
    assert.equal(list.connections.length, 2);
    assert.equal(list.stats.totalConnections, 2);
    assert.equal(list.stats.activeConnections, 2);
    assert.deepEqual(list.stats.connectionsByMock, { ws_a: 1, ws_b: 1 });

    first.ws.close();
    await eventually(() => m.api('/websocket/stats'), (r) => r.body.activeConnections === 1);
    const again = await connect(t, wsUrl(m.mockUrl, '/b'));
    assert.equal((await roundTrip(again, 'hi')).text, 'hi');
  });

  test('still applies a smaller per-mock maxConnections first', async (t) => {
    const m = await startMockd(t, { maxConnections: 2 });
    await m.createMock(wsMock('ws_one', { path: '/one', maxConnections: 1 }));
    await connect(t, wsUrl(m.mockUrl, '/one'));
    const refused = await refusedUpgrade(wsUrl(m.mockUrl, '/one'));
    assert.equal(refused.status, 503);
    assert.deepEqual(refused.body, TOO_MANY);
  });

  test('leaves routing errors as they are: an unknown path is still 404, not 503', async (t) => {
    const m = await startMockd(t, { maxConnections: 1 });
    await m.createMock(wsMock('ws_full', { path: '/full' }));
    await connect(t, wsUrl(m.mockUrl, '/full'));
    const r = await refusedUpgrade(wsUrl(m.mockUrl, '/nowhere'));
    assert.equal(r.status, 404);
    assert.equal(r.body.error, 'websocket_endpoint_not_found');
  });
});

describe('without --max-connections', () => {
  test('accepts more clients than any small cap would', async (t) => {
    const m = await startMockd(t);
    await m.createMock(wsMock('ws_free', { path: '/free' }));
    for (let i = 0; i < 5; i++) await connect(t, wsUrl(m.mockUrl, '/free'));
    assert.equal((await m.api('/websocket/stats')).body.activeConnections, 5);
  });
});
