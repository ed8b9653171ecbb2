// One browser page on one real mockd for a dashboard test file: started in `before`, everything closed in `after`,
// and the page's console checked for errors at the end.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { RunningMockd, StartOptions } from '../../src/server.ts';
import { startMockd, type Admin } from '../helpers/mockd.ts';
import { ARTIFACTS, launchBrowser, watchConsole, type ConsoleWatch } from './browser.ts';

export interface DashboardSession {
  m: RunningMockd & Admin;
  page: Page;
  context: BrowserContext;
  console: ConsoleWatch;
  cleanup(fn: () => unknown): void;
  /** Saves a screenshot of the page into test/artifacts/. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openDashboard(opts: StartOptions = {}): Promise<DashboardSession> {
  const cleanups: (() => unknown)[] = [];
  const cleanup = (fn: () => unknown) => void cleanups.push(fn);
  const close = async () => {
    for (const fn of cleanups.reverse()) await fn();
  };
  // The browser closes before mockd does, so the page's last polls never meet a half-closed server.
  const mockdCleanups: (() => unknown)[] = [];
  const started = await Promise.allSettled([startMockd({ after: (fn: () => unknown) => void mockdCleanups.push(fn) }, opts), launchBrowser()]);
  cleanup(async () => {
    for (const fn of mockdCleanups) await fn();
  });
  if (started[1].status === 'fulfilled') {
    const b = started[1].value;
    cleanup(() => b.close());
  }
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  const m = (started[0] as PromiseFulfilledResult<RunningMockd & Admin>).value;
  const browser = (started[1] as PromiseFulfilledResult<Awaited<ReturnType<typeof launchBrowser>>>).value;
  const console = watchConsole(browser.page);
  return {
    m,
    page: browser.page,
    context: browser.context,
    console,
    cleanup,
    screenshot: async (name) => void (await browser.page.screenshot({ path: join(ARTIFACTS, `${name}.png`) })),
    close,
  };
}

/** The last check of every dashboard test file: nothing went wrong in the page that the test did not provoke. */
export function assertNoConsoleErrors(session: DashboardSession | undefined): void {
  if (!session) return;
  assert.deepEqual(session.console.unexpected(), [], 'the page logged console errors');
}
