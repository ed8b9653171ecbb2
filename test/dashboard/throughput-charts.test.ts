// The dashboard's throughput and latency charts (issue 23), in a real browser: fed by `/events?metrics=true`, the
// HTTP chart shows a rate and latency while requests flow, and `/events` sends the `metrics` summary it is drawn from.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import { browserSkipReason } from './browser.ts';
import { assertNoConsoleErrors, openDashboard, type DashboardSession } from './session.ts';
import { deferred, fetchWithTimeout, within } from '../helpers/wait.ts';

describe('throughput charts', { skip: browserSkipReason() }, () => {
  let s: DashboardSession;
  before(async () => {
    s = await openDashboard();
    await s.m.createMock({ id: 'chart_http', type: 'http', http: { matcher: { path: '/chart' }, response: { statusCode: 200, body: 'ok' } } });
  });
  after(async () => {
    assertNoConsoleErrors(s);
    await s?.close();
  });

  test('/events?metrics=true sends a summary of the counters once a second', async () => {
    await (await fetchWithTimeout(`${s.m.mockUrl}/chart`)).text();
    const source = new EventSource(`${s.m.adminUrl}/events?metrics=true`);
    try {
      const summaries: any[] = [];
      const two = deferred();
      source.addEventListener('metrics', (e) => {
        summaries.push(JSON.parse((e as MessageEvent<string>).data));
        if (summaries.length === 2) two.resolve();
      });
      await within(two.promise, 'two metrics events', 10_000);
      const [first, second] = summaries;
      assert.ok(Date.parse(second.time) - Date.parse(first.time) >= 900);
      assert.equal(second.protocols.http.requests, 1);
      assert.equal(second.protocols.http.latency.count, 1);
      assert.deepEqual(second.mocks.map((m: any) => [m.mockId, m.requests]), [['chart_http', 1]]);
    } finally {
      source.close();
    }
  });

  test('shows the HTTP rate and latency while requests flow', async () => {
    await s.page.goto(`${s.m.adminUrl}/#connections`);
    await s.page.waitForSelector('[data-chart="http"]', { timeout: 10_000 });
    const stop = new AbortController();
    const traffic = (async () => {
      while (!stop.signal.aborted) await (await fetchWithTimeout(`${s.m.mockUrl}/chart`)).text();
    })();
    try {
      await s.page.waitForFunction(() => Number(document.querySelector('[data-chart="http"] [data-chart-rate]')?.textContent) > 0, undefined, { timeout: 15_000 });
      await s.page.waitForFunction(() => /^\d/.test(document.querySelector('[data-chart="http"] [data-chart-p99]')?.textContent ?? ''), undefined, { timeout: 15_000 });
      // A line needs two points: it is drawn from the second summary on.
      await s.page.waitForSelector('[data-chart="http"] path.rate', { timeout: 15_000 });
      assert.equal(await s.page.locator('[data-chart]').count(), 5);
      await s.screenshot('throughput-charts');
    } finally {
      stop.abort();
      await traffic;
    }
  });
});
