// The connections table with worker pools (README "Workers"): where the runtime gives a pool of two, each row names
// the member that holds the connection in a Worker column; a pool of one (Node 20, or --workers 1) shows no column.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import type { Page } from 'playwright-core';
import { canSharePort } from '../../src/coordinator/worker-count.ts';
import { browserSkipReason } from './browser.ts';
import { assertNoConsoleErrors, openDashboard, type DashboardSession } from './session.ts';

const CLIENTS = 6;

describe('connections table with --workers 2', { skip: browserSkipReason() }, () => {
  let s: DashboardSession;
  let page: Page;

  before(async () => {
    s = await openDashboard({ workers: 2 });
    page = s.page;
    await s.m.createMock({ id: 'chat', websocket: { path: '/ws/chat', echoMode: true } });
    await page.goto(s.m.adminUrl);
    await page.locator('[data-live="live"]').waitFor();
  });
  after(async () => {
    assertNoConsoleErrors(s);
    await s?.close();
  });

  test('names the worker of each connection where the pool has two members, and adds no column to a pool of one', async (t) => {
    for (let i = 0; i < CLIENTS; i++) {
      const ws = new WebSocket(`${s.m.mockUrl.replace('http', 'ws')}/ws/chat`);
      s.cleanup(() => ws.terminate());
      await once(ws, 'open', { signal: AbortSignal.timeout(5000) });
    }
    const records = (await s.m.api('/websocket/connections')).body.connections as { id: string; worker?: string }[];
    await page.waitForFunction((n) => document.querySelectorAll('tr[data-conn-mock="chat"]').length === n, CLIENTS, { timeout: 5000 });
    const headers = await page.locator('table.connections thead th').allInnerTexts();
    if (!canSharePort()) {
      t.diagnostic(`Node ${process.versions.node} cannot share a port: one http worker, so no Worker column`);
      assert.ok(!headers.includes('Worker'), `headers: ${headers.join(', ')}`);
      return;
    }
    assert.ok(headers.includes('Worker'), `headers: ${headers.join(', ')}`);
    for (const record of records) {
      assert.match(record.worker ?? '', /^http-[12]$/);
      assert.equal(await page.locator(`tr[data-conn-id="${record.id}"] [data-col="worker"]`).innerText(), record.worker);
    }
  });
});
