// Mock changes close that mock's WebSocket clients with 1012 "mock updated" (contract §9.6); other mocks' clients
// are not touched, and a reconnect meets the new definition (or 404 once the path is no longer served).

import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { connect, refusedUpgrade, roundTrip, startFileMockd, wsMock, wsUrl } from './helpers.ts';
import { fetchWithTimeout } from '../../helpers/wait.ts';

const UPDATED = { code: 1012, reason: 'mock updated' };
const reply = (value: string) => ({ type: 'text' as const, value });

const shared = await startFileMockd();
let round = 0;

/**
 * Two fresh WebSocket mocks, `a` (replies "a1") and `b` (echo), with one connected client on each. Each test gets
 * its own ids and paths; `url('/a')` and `api('/mocks/a')` name this test's mocks.
 */
async function setup(t: TestContext) {
  const n = ++round;
  const rename = (p: string) => p.replace(/^\/(a|b)(?=$|[/?-])/, `/$1${n}`).replace(/^\/mocks\/(a|b)(?=$|[/?])/, `/mocks/$1${n}`);
  const m = {
    mockUrl: shared.mockUrl,
    api: (path: string, init?: Parameters<typeof shared.api>[1]) => shared.api(rename(path), init),
    createMock: shared.createMock,
  };
  await shared.createMock(wsMock(`a${n}`, { path: `/a${n}`, defaultResponse: reply('a1') }));
  await shared.createMock(wsMock(`b${n}`, { path: `/b${n}` }));
  const url = (path: string) => wsUrl(shared.mockUrl, rename(path));
  const clientA = await connect(t, url('/a'));
  const clientB = await connect(t, url('/b'));
  assert.equal((await roundTrip(clientA, 'x')).text, 'a1');
  const mock = (id: 'a' | 'b', spec: Parameters<typeof wsMock>[1]) => wsMock(`${id}${n}`, { ...spec, path: rename(spec.path) });
  return { m, url, clientA, clientB, mock, n };
}

/** The client of the other mock is still open and still served. */
async function assertUntouched(client: Awaited<ReturnType<typeof setup>>['clientB']) {
  assert.equal((await roundTrip(client, 'still echoing')).text, 'still echoing');
}

describe('when a WebSocket mock changes', () => {
  test('PUT closes its clients with 1012 and a reconnect gets the new definition', async (t) => {
    const { m, url, clientA, clientB, mock } = await setup(t);
    const r = await m.api('/mocks/a', { method: 'PUT', body: mock('a', { path: '/a', defaultResponse: reply('a2') }) });
    assert.equal(r.status, 200);
    assert.deepEqual(await clientA.closed(), UPDATED);
    assert.equal((await m.api('/mocks/a/websocket/connections')).body.count, 0, 'gone before the admin call returned');
    const again = await connect(t, url('/a'));
    assert.equal((await roundTrip(again, 'x')).text, 'a2');
    await assertUntouched(clientB);
  });

  test('a PATCH that only renames still closes its clients with 1012', async (t) => {
    const { m, url, clientA, clientB } = await setup(t);
    assert.equal((await m.api('/mocks/a', { method: 'PATCH', body: { name: 'renamed' } })).status, 200);
    assert.deepEqual(await clientA.closed(), UPDATED);
    assert.equal((await roundTrip(await connect(t, url('/a')), 'x')).text, 'a1');
    await assertUntouched(clientB);
  });

  test('a PUT that moves the path stops serving the old one', async (t) => {
    const { m, url, clientA, clientB, mock } = await setup(t);
    await m.api('/mocks/a', { method: 'PUT', body: mock('a', { path: '/a-moved', defaultResponse: reply('moved') }) });
    assert.deepEqual(await clientA.closed(), UPDATED);
    assert.equal((await refusedUpgrade(url('/a'))).status, 404);
    assert.equal((await roundTrip(await connect(t, url('/a-moved')), 'x')).text, 'moved');
    await assertUntouched(clientB);
  });

  test('PATCH enabled:false closes its clients with 1012 and the path answers 404', async (t) => {
    const { m, url, clientA, clientB } = await setup(t);
    assert.equal((await m.api('/mocks/a', { method: 'PATCH', body: { enabled: false } })).status, 200);
    assert.deepEqual(await clientA.closed(), UPDATED);
    assert.equal((await refusedUpgrade(url('/a'))).status, 404);
    await assertUntouched(clientB);
  });

  test('toggle to disabled closes with 1012, and toggling back serves the path again', async (t) => {
    const { m, url, clientA, clientB } = await setup(t);
    assert.equal((await m.api('/mocks/a/toggle', { method: 'POST' })).body.mock.enabled, false);
    assert.deepEqual(await clientA.closed(), UPDATED);
    assert.equal((await refusedUpgrade(url('/a'))).status, 404);
    await m.api('/mocks/a/toggle', { method: 'POST' });
    assert.equal((await roundTrip(await connect(t, url('/a')), 'x')).text, 'a1');
    await assertUntouched(clientB);
  });

  test('DELETE closes its clients with 1012 and the path answers 404', async (t) => {
    const { m, url, clientA, clientB, n } = await setup(t);
    assert.equal((await m.api('/mocks/a', { method: 'DELETE' })).status, 204);
    assert.deepEqual(await clientA.closed(), UPDATED);
    const r = await refusedUpgrade(url('/a'));
    assert.deepEqual(r, { status: 404, body: { error: 'websocket_endpoint_not_found', path: `/a${n}` } });
    await assertUntouched(clientB);
  });

  test('DELETE /mocks?type=websocket closes every WebSocket client with 1012 and leaves HTTP mocks', async (t) => {
    const { m, url, clientA, clientB } = await setup(t);
    await m.createMock({ type: 'http', http: { matcher: { path: '/h' }, response: { statusCode: 200, body: 'ok' } } });
    assert.equal((await m.api('/mocks?type=websocket', { method: 'DELETE' })).status, 204);
    assert.deepEqual(await clientA.closed(), UPDATED);
    assert.deepEqual(await clientB.closed(), UPDATED);
    assert.equal((await refusedUpgrade(url('/b'))).status, 404);
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/h`)).status, 200);
  });

  test('DELETE /mocks closes every WebSocket client with 1012', async (t) => {
    const { m, url, clientA, clientB } = await setup(t);
    assert.equal((await m.api('/mocks', { method: 'DELETE' })).status, 204);
    assert.deepEqual(await clientA.closed(), UPDATED);
    assert.deepEqual(await clientB.closed(), UPDATED);
    assert.equal((await refusedUpgrade(url('/a'))).status, 404);
    assert.equal((await m.api('/websocket/stats')).body.activeConnections, 0);
  });

  test('changing the type to http stops serving the WebSocket path', async (t) => {
    const { m, url, clientA, clientB, n } = await setup(t);
    const httpSpec = { matcher: { path: `/a${n}` }, response: { statusCode: 200, body: 'now http' } };
    const r = await m.api('/mocks/a', { method: 'PUT', body: { type: 'http', http: httpSpec } });
    assert.equal(r.status, 200);
    assert.deepEqual(await clientA.closed(), UPDATED);
    assert.equal((await refusedUpgrade(url('/a'))).status, 404);
    assert.equal(await (await fetchWithTimeout(`${m.mockUrl}/a${n}`)).text(), 'now http');
    await assertUntouched(clientB);
  });
});
