// The Journal view (issue 25): requests appear live from /events within a second, filters narrow them, the detail
// pane shows headers and the pretty-printed body, an unmatched request offers its near misses and "create mock from
// this request", and the Mocks view shows each mock's calls as verify counts them.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { fetchWithTimeout } from '../helpers/wait.ts';
import { browserSkipReason } from './browser.ts';
import { connectMqtt } from './clients.ts';
import { assertNoConsoleErrors, openDashboard, type DashboardSession } from './session.ts';

/** The "within a second". */
const APPEAR_MS = 1000;

describe('journal view', { skip: browserSkipReason() }, () => {
  let s: DashboardSession;
  let page: Page;
  let orders: { id: string };

  before(async () => {
    s = await openDashboard();
    page = s.page;
    orders = await s.m.createMock({ name: 'orders', http: { matcher: { method: 'POST', path: '/orders' }, response: { statusCode: 201, body: { ok: true } } } });
    await page.goto(`${s.m.adminUrl}/#journal`);
    await page.locator('[data-live="live"]').waitFor();
  });
  after(async () => {
    assertNoConsoleErrors(s);
    await s?.close();
  });

  const rows = () => page.locator('table.journal tbody tr');
  const detail = () => page.getByRole('complementary', { name: 'Entry detail' });
  const newestEntry = async (query: string) => (await s.m.api(`/requests?${query}`)).body.requests.at(-1);

  test('shows a request made by the test within a second, and its detail shows the headers and the body', async () => {
    await page.locator('.empty, table.journal').first().waitFor();
    const res = await fetchWithTimeout(`${s.m.mockUrl}/orders?src=test`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-trace': 'abc-123' }, body: JSON.stringify({ order: 42, items: ['tea'] }) });
    assert.equal(res.status, 201);
    const entry = await newestEntry('path=/orders');
    const row = page.locator(`tr[data-entry-id="${entry.id}"]`);
    await row.waitFor({ timeout: APPEAR_MS });
    assert.match(await row.innerText(), /POST \/orders → 201/);
    assert.match(await row.innerText(), /orders/);

    await row.click();
    const body = detail().locator('[data-section="body"]');
    assert.equal(await body.innerText(), JSON.stringify({ order: 42, items: ['tea'] }, null, 2));
    assert.match(await detail().locator('[data-section="headers"]').innerText(), /x-trace\s+abc-123/);
    assert.match(await detail().locator('[data-section="query"]').innerText(), /src\s+test/);
    await s.screenshot('dashboard-journal');
    await detail().getByRole('button', { name: 'Close panel' }).click();
  });

  test('"create mock from this request" on an unmatched request makes it match', async () => {
    const first = await fetchWithTimeout(`${s.m.mockUrl}/orders/missing`, { method: 'POST' });
    assert.equal(first.status, 404);
    await first.arrayBuffer();
    const entry = await newestEntry('path=/orders/missing');
    await page.getByLabel('Matched').selectOption('false');
    const row = page.locator(`tr[data-entry-id="${entry.id}"]`);
    await row.click();
    assert.match(await detail().innerText(), /unmatched/);
    // The near miss is the orders mock: its path criterion failed, its method did not.
    const nearMiss = detail().locator('.near-misses li', { hasText: 'orders' });
    assert.match(await nearMiss.innerText(), /50%.*path/);
    await s.screenshot('dashboard-journal-unmatched');

    await detail().getByRole('button', { name: 'Create mock from this request' }).click();
    const editor = page.getByRole('region', { name: 'Mock editor' });
    assert.equal(await editor.locator('[data-field="http.matcher.path"] input').inputValue(), '/orders/missing');
    await editor.getByRole('button', { name: 'Create', exact: true }).click();
    await editor.waitFor({ state: 'detached' });

    const again = await fetchWithTimeout(`${s.m.mockUrl}/orders/missing`, { method: 'POST' });
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), { ok: true });
    await page.getByLabel('Matched').selectOption('');
  });

  test('filters by protocol, mock, matched and path, and keeps the filter for live entries', async () => {
    const broker = await s.m.createMock({ name: 'telemetry', mqtt: { port: 0, topics: [{ topic: 'dash/+/t' }] } });
    const client = await connectMqtt(s.cleanup, broker.mqtt.port, 'dash-pub');
    await client.publishAsync('dash/kitchen/t', '{"c":21}', { qos: 1 });

    await page.getByLabel('Protocol').selectOption('mqtt');
    await page.locator('tr[data-entry-id]').first().waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('tr[data-entry-id] .tag')].every((t) => t.textContent === 'mqtt'));
    assert.match(await rows().first().innerText(), /mqtt dash-pub in dash\/kitchen\/t qos1/);

    await page.getByLabel('Protocol').selectOption('');
    await page.getByLabel('Path').fill('/orders');
    await page.waitForFunction(() => {
      const r = [...document.querySelectorAll('tr[data-entry-id] .summary')];
      return r.length > 0 && r.every((t) => / \/orders → /.test(t.textContent ?? ''));
    });
    const res = await fetchWithTimeout(`${s.m.mockUrl}/orders`, { method: 'POST', body: '{"live":true}' });
    await res.arrayBuffer();
    const entry = await newestEntry('path=/orders');
    await page.locator(`tr[data-entry-id="${entry.id}"]`).waitFor({ timeout: APPEAR_MS });
    await client.publishAsync('dash/kitchen/t', '{"c":22}');
    await page.getByLabel('Path').fill('');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-entry-id] .tag.mqtt').length >= 2);

    const count = () => page.locator('[data-journal-count]').innerText();
    await page.getByLabel('Mock').selectOption(orders.id);
    await page.waitForFunction(() => document.querySelector('[data-journal-count]')?.textContent === '2 shown · 2 matching');
    await page.getByLabel('Time range').selectOption('1m');
    assert.equal(await count(), '2 shown · 2 matching', 'both calls are within the last minute');
    await page.getByLabel('Time range').selectOption('custom');
    await page.getByLabel('To', { exact: true }).fill('2000-01-01T00:00:00');
    await page.waitForFunction(() => document.querySelector('[data-journal-count]')?.textContent === '0 shown · 2 matching');
    await page.getByLabel('Mock').selectOption('');
    await page.getByLabel('Time range').selectOption('');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-entry-id] .tag.mqtt').length >= 2);
    await page.locator('tr[data-entry-id]', { hasText: 'dash/kitchen/t' }).first().click();
    await detail().locator('[data-section="body"]').waitFor();
    await s.screenshot('dashboard-journal-live');
  });

  test("shows each mock's calls as GET /mocks/{id}/verify counts them", async () => {
    await page.getByRole('link', { name: 'Mocks' }).click();
    const verify = (await s.m.api(`/mocks/${orders.id}/verify`)).body;
    assert.equal(verify.callCount, 2);
    await page.waitForFunction(([id, n]) => document.querySelector(`tr[data-mock-id="${id}"] [data-col="calls"]`)?.textContent?.startsWith(String(n)), [orders.id, verify.callCount] as const);

    // A new call moves the count without a reload.
    await (await fetchWithTimeout(`${s.m.mockUrl}/orders`, { method: 'POST' })).arrayBuffer();
    await page.waitForFunction(([id, n]) => document.querySelector(`tr[data-mock-id="${id}"] [data-col="calls"]`)?.textContent?.startsWith(String(n)), [orders.id, verify.callCount + 1] as const, { timeout: 3000 });

    await page.locator(`tr[data-mock-id="${orders.id}"]`).getByRole('button', { name: 'Journal' }).click();
    assert.equal(await page.getByLabel('Mock').inputValue(), orders.id);
  });
});
