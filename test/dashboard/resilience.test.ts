// The dashboard when the admin API goes away for a moment (issue 25: "keeps working when the admin API is briefly
// unavailable (reconnects /events)"), behind --api-key, and its favicon.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd as start, type RunningMockd } from '../../src/server.ts';
import { adminClient, tempDir, type Admin } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';
import { browserSkipReason, launchBrowser, watchConsole, type BrowserUnderTest } from './browser.ts';
import { freePort } from '../helpers/go-compat.ts';

const API_KEY = 'workbench-key';

describe('dashboard resilience', { skip: browserSkipReason() }, () => {
  let browser: BrowserUnderTest;
  const cleanups: (() => unknown)[] = [];
  const cleanup = { after: (fn: () => unknown) => void cleanups.push(fn) };

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    for (const fn of cleanups.reverse()) await fn();
  });

  test('reconnects /events after the admin API was down and shows what changed meanwhile', async () => {
    const page = await browser.context.newPage();
    const console = watchConsole(page);
    const adminPort = await freePort();
    const dataDir = tempDir(cleanup);
    const opts = { port: 0, adminPort, dataDir, persist: true, logLevel: 'error' as const };
    let m: RunningMockd & Admin = Object.assign(await start(opts), adminClient(`http://127.0.0.1:${adminPort}`));
    cleanups.push(() => m.close());
    const first = await m.createMock({ name: 'before the outage', http: { matcher: { path: '/before' }, response: { statusCode: 200 } } });

    await page.goto(`${m.adminUrl}/#mocks`);
    await page.locator('[data-live="live"]').waitFor();
    await page.locator(`tr[data-mock-id="${first.id}"]`).waitFor();

    assert.deepEqual(console.unexpected(), [], 'no errors before the outage');
    await m.close();
    await page.locator('[data-live="live"]').waitFor({ state: 'detached' });
    m = Object.assign(await start(opts), adminClient(`http://127.0.0.1:${adminPort}`));
    // Made while the page has no stream: only the reload on reconnect can show it.
    const second = await m.createMock({ name: 'during the outage', http: { matcher: { path: '/during' }, response: { statusCode: 200 } } });

    await page.locator('[data-live="live"]').waitFor({ timeout: 15_000 });
    await page.locator(`tr[data-mock-id="${second.id}"]`).waitFor({ timeout: 5000 });
    await page.locator(`tr[data-mock-id="${first.id}"]`).waitFor();
    await page.locator('.banner.error').waitFor({ state: 'detached' });
    // While the API was shutting down, down and starting, the browser logged refused connections, the cut stream
    // and the answers of a half-started server; from here on, nothing.
    const duringOutage = console.unexpected().length;

    // The stream is live again: a change now arrives as an event.
    const third = await m.createMock({ name: 'after the outage', http: { matcher: { path: '/after' }, response: { statusCode: 200 } } });
    await page.locator(`tr[data-mock-id="${third.id}"]`).waitFor({ timeout: 2000 });

    assert.deepEqual(console.unexpected().slice(duringOutage), [], 'no errors after the recovery');
    await page.close();
  });

  test('works behind --api-key: creates a mock from the editor and shows its request in the journal', async () => {
    const m = Object.assign(await start({ port: 0, adminPort: 0, persist: false, logLevel: 'error', apiKey: API_KEY }), {});
    cleanups.push(() => m.close());
    const page = await browser.context.newPage();
    const console = watchConsole(page);
    await page.addInitScript((key) => sessionStorage.setItem('mockd.apiKey', key), API_KEY);
    await page.goto(`${m.adminUrl}/#mocks`);
    await page.locator('[data-live="live"]').waitFor();
    assert.equal(await page.evaluate(() => fetch('/favicon.ico', { signal: AbortSignal.timeout(15_000) }).then((r) => r.status)), 200, 'the favicon is served, without the key');
    assert.equal(await page.locator('link[rel="icon"]').getAttribute('href'), 'favicon.ico');

    await page.getByRole('button', { name: 'New mock' }).click();
    const editor = page.getByRole('region', { name: 'Mock editor' });
    await editor.locator('[data-field="name"] input').fill('guarded');
    await editor.locator('[data-field="http.matcher.path"] input').fill('/guarded');
    await editor.getByRole('button', { name: 'Create', exact: true }).click();
    await editor.waitFor({ state: 'detached' });
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/guarded`)).status, 200);

    await page.getByRole('link', { name: 'Journal' }).click();
    await page.locator('tr[data-entry-id]', { hasText: 'GET /guarded → 200' }).waitFor({ timeout: 2000 });
    assert.equal(await page.getByRole('dialog', { name: 'API key required' }).count(), 0);
    assert.deepEqual(console.unexpected(), []);
    await page.close();
  });
});
