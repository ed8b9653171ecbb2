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
  page.setDefaultTimeout(5000);
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
