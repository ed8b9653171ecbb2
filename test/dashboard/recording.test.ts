// Record and replay in the dashboard (issue 21): a proxy mock is marked, "Snapshot & stop" turns its traffic into
// mocks that answer as the upstream did, and a proxied connection offers "Snapshot this connection".

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { fetchWithTimeout } from '../helpers/wait.ts';
import { startHttpUpstream, startWsUpstream } from '../recording/helpers.ts';
import { browserSkipReason } from './browser.ts';
import { connectWebSocket } from './clients.ts';
import { assertNoConsoleErrors, openDashboard, type DashboardSession } from './session.ts';

describe('record and replay in the dashboard', { skip: browserSkipReason() }, () => {
  let s: DashboardSession;
  let page: Page;
  const cleanups: (() => unknown)[] = [];

  before(async () => {
    s = await openDashboard();
    page = s.page;
  });
  after(async () => {
    assertNoConsoleErrors(s);
    for (const fn of cleanups.reverse()) await fn();
    await s?.close();
  });

  test('marks a proxy mock and replaces it by its snapshot with "Snapshot & stop"', async () => {
    const upstream = await startHttpUpstream({ after: (fn) => cleanups.push(fn) });
    await s.m.createMock({ id: 'rec-api', http: { matcher: { pathPattern: '^/api/' }, proxy: { upstream: upstream.url } } });
    const live = await fetchWithTimeout(`${s.m.mockUrl}/api/users?q=d`);
    const body = await live.text();
    await page.goto(`${s.m.adminUrl}/#mocks`);
    const row = page.locator('tr[data-mock-id="rec-api"]');
    await row.locator('[data-proxy]').waitFor({ timeout: 5000 });
    await row.getByRole('button', { name: 'Snapshot & stop' }).click();
    await page.locator('tr[data-mock-id="rec-api"]').waitFor({ state: 'detached', timeout: 5000 });
    await page.getByText('snapshot GET /api/users').waitFor({ timeout: 5000 });
    await upstream.stop();
    const replayed = await fetchWithTimeout(`${s.m.mockUrl}/api/users?q=d`);
    assert.equal(await replayed.text(), body);
  });

  test('shows a proxied WebSocket connection like any other and offers "Snapshot this connection"', async () => {
    const upstream = await startWsUpstream({ after: (fn) => cleanups.push(fn) });
    await s.m.createMock({ id: 'rec-ws', websocket: { path: '/rec', proxy: { upstream: upstream.url } } });
    await connectWebSocket((fn) => void cleanups.push(fn), `${s.m.mockUrl.replace('http', 'ws')}/rec`);
    const id = (await s.m.api('/mocks/rec-ws/websocket/connections')).body.connections[0].id;
    await page.goto(s.m.adminUrl);
    await page.locator(`tr[data-conn-id="${id}"]`).click();
    const panel = page.getByRole('complementary', { name: 'Connection detail' });
    await panel.locator('[data-proxy]').waitFor({ timeout: 5000 });
    assert.equal(await panel.locator('[data-action="snapshot-connection"]').count(), 1);
  });
});
