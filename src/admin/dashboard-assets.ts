// The dashboard bundle the admin API serves, held in memory once loaded. Normally it is read from dist-dashboard/
// (built by `npm install` through the `prepare` script). In a checkout whose bundle is missing or older than the
// dashboard sources (install scripts skipped, sources edited), it is built in memory on first request instead, so
// `npm test` and `npx mockd start` never need a separate build step and never serve a stale bundle. Nothing here
// writes to disk. Paths are relative to this module so an installed package finds its copied assets the same way.

import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Asset {
  body: Uint8Array;
  contentType: string;
}

const BUNDLE_DIR = fileURLToPath(new URL('../../dist-dashboard/', import.meta.url));
const SOURCE_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));
/** The dashboard reads the protocol profile table and the shared types from here too. */
const CONTRACT_DIR = fileURLToPath(new URL('../contract/', import.meta.url));
const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-dashboard.mjs', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

async function newestMtime(dir: string): Promise<number> {
  const times = await Promise.all((await listFiles(dir)).map(async (f) => (await stat(f)).mtimeMs));
  return Math.max(0, ...times);
}

async function isBundleCurrent(): Promise<boolean> {
  const index = join(BUNDLE_DIR, 'index.html');
  if (!existsSync(index)) return false;
  if (!existsSync(SOURCE_DIR)) return true;
  const sources = await Promise.all([SOURCE_DIR, CONTRACT_DIR].filter(existsSync).map(newestMtime));
  return (await stat(index)).mtimeMs >= Math.max(...sources);
}

async function readBundle(): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const file of await listFiles(BUNDLE_DIR)) files.set(relative(BUNDLE_DIR, file).split('\\').join('/'), await readFile(file));
  return files;
}

async function buildInMemory(): Promise<Map<string, Uint8Array>> {
  if (!existsSync(SOURCE_DIR) || !existsSync(BUILD_SCRIPT)) {
    throw new Error('the dashboard is not built: run `npm run build:dashboard`');
  }
  const { buildDashboard } = (await import(pathToFileURL(BUILD_SCRIPT).href)) as typeof import('../../scripts/build-dashboard.mjs');
  return buildDashboard({ write: false });
}

async function load(): Promise<Map<string, Asset>> {
  const files = (await isBundleCurrent()) ? await readBundle() : await buildInMemory();
  const assets = new Map<string, Asset>();
  for (const [name, body] of files) assets.set(name, { body, contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream' });
  return assets;
}

let loading: Promise<Map<string, Asset>> | undefined;

/** Every dashboard file by its path relative to the bundle root ('index.html', 'assets/app.js'). A failed load is
 * retried on the next call. */
export function dashboardAssets(): Promise<Map<string, Asset>> {
  loading ??= load().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}
