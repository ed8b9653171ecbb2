// The upgrade and the connection limits of contract §5: routing by path, subprotocols, maxConnections,
// maxMessageSize, heartbeat and idle timeout.

import { once } from 'node:events';
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../helpers/mockd.ts';
import { connect, refusedUpgrade, roundTrip, startFileMockd, wsMock, wsUrl, WAIT_MS } from './helpers.ts';
import { fetchWithTimeout } from '../../helpers/wait.ts';

const m = await startFileMockd();
const url = (path: string) => wsUrl(m.mockUrl, path);

before(async () => {
  await m.createMock(wsMock('echo', { path: '/echo' }));
  await m.createMock(wsMock('off', { path: '/off' }, { enabled: false }));
  await m.createMock(wsMock('protos', { path: '/protos', subprotocols: ['v2', 'v1'] }));
  await m.createMock(wsMock('strict-protos', { path: '/strict-protos', subprotocols: ['chat'], requireSubprotocol: true }));
  await m.createMock(wsMock('limited', { path: '/limited', maxConnections: 2 }));
  await m.createMock(wsMock('small', { path: '/small', maxMessageSize: 16 }));
  await m.createMock(wsMock('idle', { path: '/idle', idleTimeout: '200ms' }));
  await m.createMock(wsMock('beat', { path: '/beat', heartbeat: { enabled: true, interval: '50ms', timeout: '100ms' } }));
});

describe('routing', () => {
  test('answers an upgrade on an unknown path with 404 websocket_endpoint_not_found and the path', async () => {
    const r = await refusedUpgrade(url('/nope?x=1'));
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, { error: 'websocket_endpoint_not_found', path: '/nope' });
  });

  test('ignores the query string when routing', async (t) => {
    const c = await connect(t, url('/echo?token=abc'));
    assert.equal((await roundTrip(c, 'hi')).text, 'hi');
  });

  test('does not serve a disabled mock', async () => {
    const r = await refusedUpgrade(url('/off'));
    assert.equal(r.status, 404);
    assert.equal(r.body.error, 'websocket_endpoint_not_found');
  });

  test('sends a request that is not an upgrade to HTTP matching', async () => {
    const res = await fetchWithTimeout(`${m.mockUrl}/echo`, { signal: AbortSignal.timeout(WAIT_MS) });
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error, 'no_match');
  });
});

describe('subprotocols', () => {
  test("chooses the mock's first subprotocol that the client offers", async (t) => {
    const c = await connect(t, url('/protos'), ['v1', 'v2']);
    assert.equal(c.ws.protocol, 'v2');
    const listed = (await m.api('/mocks/protos/websocket/connections')).body.connections;
    assert.equal(listed.at(-1).subprotocol, 'v2', 'the connection record names the chosen subprotocol');
    const d = await connect(t, url('/protos'), ['x', 'v1']);
    assert.equal(d.ws.protocol, 'v1');
  });

  test('accepts a client that offers none when none is required', async (t) => {
    const c = await connect(t, url('/protos'));
    assert.equal(c.ws.protocol, '');
  });

  test('answers 400 when a required subprotocol is missing or mismatched', async (t) => {
    assert.equal((await refusedUpgrade(url('/strict-protos'))).status, 400);
    assert.equal((await refusedUpgrade(url('/strict-protos'), ['other'])).status, 400);
    const c = await connect(t, url('/strict-protos'), ['other', 'chat']);
    assert.equal(c.ws.protocol, 'chat');
  });
});

describe('limits', () => {
  test('answers 503 to one upgrade past maxConnections, and accepts again once one closed', async (t) => {
    await connect(t, url('/limited'));
    await connect(t, url('/limited'));
    const r = await refusedUpgrade(url('/limited'));
    assert.equal(r.status, 503);
    const [first] = (await m.api('/mocks/limited/websocket/connections')).body.connections;
    assert.equal((await m.api(`/websocket/connections/${first.id}`, { method: 'DELETE' })).status, 200);
    await connect(t, url('/limited'));
  });

  test('closes with 1009 "message too big" on a frame over maxMessageSize', async (t) => {
    const c = await connect(t, url('/small'));
    assert.equal((await roundTrip(c, 'x'.repeat(16))).text, 'x'.repeat(16));
    c.ws.send('x'.repeat(17));
    assert.deepEqual(await c.closed(), { code: 1009, reason: 'message too big' });
  });

  test('closes with 1001 "idle timeout" once the client has been silent that long', async (t) => {
    const c = await connect(t, url('/idle'));
    const started = performance.now();
    // Messages keep the connection alive: each one restarts the idle clock.
    for (let i = 0; i < 3; i++) assert.equal((await roundTrip(c, `m${i}`)).text, `m${i}`);
    assert.deepEqual(await c.closed(), { code: 1001, reason: 'idle timeout' });
    assert.ok(performance.now() - started >= 190);
    await eventually(() => m.api('/mocks/idle/websocket/connections'), (r) => r.body.count === 0);
  });
});

describe('heartbeat', () => {
  test('pings the client, and a client that answers stays connected', async (t) => {
    const c = await connect(t, url('/beat'));
    for (let i = 0; i < 3; i++) await once(c.ws, 'ping', { signal: AbortSignal.timeout(WAIT_MS) });
    assert.equal((await roundTrip(c, 'alive')).text, 'alive');
  });

  test('closes with 1001 "ping timeout" when no pong arrives', async (t) => {
    const c = await connect(t, url('/beat'), undefined, { autoPong: false });
    assert.deepEqual(await c.closed(), { code: 1001, reason: 'ping timeout' });
  });
});
