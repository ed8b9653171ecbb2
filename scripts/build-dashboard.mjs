#!/usr/bin/env node
// Bundles the web dashboard (dashboard/: Preact + TSX) into dist-dashboard/ with esbuild's JS API:
// index.html, favicon.svg, assets/app.js and assets/app.css, plus lazily loaded chunks under assets/ (the YAML parser
// of the mock editor is one, so the first page load stays small). Run by `npm install` (the `prepare` script) and `npm run
// build:dashboard`. The admin API also calls buildDashboard({ write: false }) itself when dist-dashboard/ is missing
// or older than the sources (src/admin/dashboard-assets.ts), so a checkout never serves a stale or absent bundle.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SOURCE_DIR = join(ROOT, 'dashboard');
export const OUT_DIR = join(ROOT, 'dist-dashboard');

/**
 * Builds the bundle. Resolves with every output file by its path relative to the output root ('index.html',
 * 'assets/app.js', …); with `write` (the default) the files also replace `outDir` as a whole.
 * @param {{ write?: boolean, outDir?: string }} [options]
 * @returns {Promise<Map<string, Uint8Array>>}
 */
export async function buildDashboard({ write = true, outDir = OUT_DIR } = {}) {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [
      { in: join(SOURCE_DIR, 'src/main.tsx'), out: 'assets/app' },
      { in: join(SOURCE_DIR, 'styles.css'), out: 'assets/app' },
    ],
    outdir: outDir,
    bundle: true,
    format: 'esm',
    splitting: true,
    chunkNames: 'assets/[name]-[hash]',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    tsconfig: join(SOURCE_DIR, 'tsconfig.json'),
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'silent',
    write: false,
  });
  const files = new Map();
  for (const file of result.outputFiles) files.set(relative(outDir, file.path).split('\\').join('/'), file.contents);
  files.set('index.html', await readFile(join(SOURCE_DIR, 'index.html')));
  files.set('favicon.svg', await readFile(join(SOURCE_DIR, 'favicon.svg')));
  if (write) await replaceDir(outDir, files);
  return files;
}

/** Writes into a sibling temp dir and renames it into place, so a reader never sees a half-written bundle. */
async function replaceDir(outDir, files) {
  const temp = `${outDir}.tmp-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  for (const [name, contents] of files) {
    await mkdir(dirname(join(temp, name)), { recursive: true });
    await writeFile(join(temp, name), contents);
  }
  await rm(outDir, { recursive: true, force: true });
  await rename(temp, outDir);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const files = await buildDashboard();
  const bytes = [...files.values()].reduce((n, f) => n + f.byteLength, 0);
  process.stderr.write(`[build-dashboard] ${files.size} files, ${(bytes / 1024).toFixed(0)} KiB in ${Date.now() - started} ms -> ${relative(process.cwd(), OUT_DIR) || '.'}\n`);
}
