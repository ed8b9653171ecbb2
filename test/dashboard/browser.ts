// Headless Chromium for the dashboard tests: Debian's `chromium` driven by playwright-core, in a fresh profile.
// Without the browser the tests are skipped locally (with how to install it) and fail on CI, where they must run.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../helpers/mockd.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test', 'artifacts');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The reason to skip the browser tests, or false to run them. On CI a missing browser is a failure, not a skip. */
export function browserSkipReason(): string | false {
  if (existsSync(CHROMIUM_PATH) || process.env.CI) return false;
  return `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install chromium\` (or set CHROMIUM_PATH) to run the dashboard browser tests`;
}

export interface BrowserUnderTest {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserUnderTest> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is required on CI but missing at ${CHROMIUM_PATH}: apt-get install chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'mockd-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 900 },
    timeout: 20_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Generous for a loaded 2-core CI machine running the suite with concurrency 2; a real failure still ends the wait.
  page.setDefaultTimeout(15_000);
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface ConsoleWatch {
  /** A failed admin call the test provokes on purpose (a 400 from an invalid save, a 401 before the key is given):
   * Chromium logs every 4xx/5xx response as a console error, and this one is expected. */
  expectFailedRequest(pathname: string, status: number): void;
  /** Console errors and uncaught page errors that were not expected. */
  unexpected(): string[];
}

const FAILED_LOAD = /^Failed to load resource: the server responded with a status of (\d+)/;

/** Collects the page's console errors and uncaught exceptions from now on. */
export function watchConsole(page: Page): ConsoleWatch {
  const errors: { text: string; url: string }[] = [];
  const expected: { pathname: string; status: number }[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push({ text: msg.text(), url: msg.location().url ?? '' });
  });
  page.on('pageerror', (err) => errors.push({ text: `uncaught: ${err.message}`, url: '' }));
  return {
    expectFailedRequest(pathname, status) {
      expected.push({ pathname, status });
    },
    unexpected() {
      return errors
        .filter((e) => {
          const failed = FAILED_LOAD.exec(e.text);
          if (!failed || !e.url) return true;
          const pathname = new URL(e.url).pathname;
          const i = expected.findIndex((x) => x.pathname === pathname && x.status === Number(failed[1]));
          if (i === -1) return true;
          expected.splice(i, 1);
          return false;
        })
        .map((e) => `${e.text}${e.url ? ` (${e.url})` : ''}`);
    },
  };
}
