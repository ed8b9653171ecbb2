#!/usr/bin/env node
// Builds the publishable package into dist/ (`npm run build`, and `prepack` before `npm pack`/`npm publish`).
// An installed mockd runs this compiled JavaScript and never tsx (bin/mockd.js only registers tsx when src/ exists).
//
// 1. The dashboard bundle (`npm run build:dashboard`, esbuild) into dist-dashboard/, always rebuilt so a stale bundle
//    from the checkout is never shipped.
// 2. `tsc -p tsconfig.build.json`: src/ and workers/ only (no test/ or benchmarks/) to dist/src and dist/workers,
//    with `.ts` import specifiers rewritten to `.js` (rewriteRelativeImportExtensions). A type error fails the build,
//    so neither `npm publish` nor the Docker image ships code that does not type-check. MOCKD_BUILD_NO_CHECK=1 emits
//    without type-checking (tsc --noCheck); test/packaging uses it so that it tests packaging, not the types of
//    whatever is being edited in the checkout at the time (`npm run typecheck` does that).
// 3. Every file tsc does not emit but the code loads by a path relative to its own module (piscina `.mjs` task files,
//    `.proto` files, `.d.mts` types, the dashboard bundle) is copied to the same relative place under dist/, so a
//    `new URL('./x', import.meta.url)` finds the same file in the checkout and in the installed package:
//    src/admin/dashboard-assets.ts reads `../../dist-dashboard/`, which from dist/src/admin/ is dist/dist-dashboard/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
/** Folders compiled by tsconfig.build.json; their runtime assets are mirrored into dist/. */
const SOURCE_DIRS = ['src', 'workers'];
/** Built asset folders outside SOURCE_DIRS, mirrored whole into dist/. */
const ASSET_DIRS = ['dist-dashboard'];
/** Files that must exist after a build: the CLI entry, one entry per worker thread, the dashboard page. */
const REQUIRED = [
  'dist/src/cli/main.js',
  'dist/workers/http.js',
  'dist/workers/mqtt.js',
  'dist/workers/grpc.js',
  'dist/dist-dashboard/index.html',
];

// TypeScript sources (compiled by tsc) are not copied; declaration files are, since tsc never emits them.
const isTypeScriptSource = (name) => /\.(c|m)?tsx?$/.test(name) && !/\.d\.(c|m)?ts$/.test(name);

function log(message) {
  process.stderr.write(`[build] ${message}\n`);
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    log(`${[command, ...args].join(' ')} failed (${result.signal ?? `exit ${result.status}`})`);
    process.exit(1);
  }
}

function copyAssets(dir, filter) {
  let copied = 0;
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) copied += copyAssets(rel, filter);
    else if (entry.isFile() && filter(entry.name)) {
      mkdirSync(dirname(join(DIST, rel)), { recursive: true });
      copyFileSync(join(ROOT, rel), join(DIST, rel));
      copied++;
    }
  }
  return copied;
}

const started = Date.now();
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
rmSync(DIST, { recursive: true, force: true });

if (pkg.scripts?.['build:dashboard']) {
  log('npm run build:dashboard');
  run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build:dashboard']);
} else {
  log('node scripts/build-dashboard.mjs');
  run(process.execPath, [join(ROOT, 'scripts', 'build-dashboard.mjs')]);
}

const tscArgs = ['-p', 'tsconfig.build.json', ...(process.env.MOCKD_BUILD_NO_CHECK === '1' ? ['--noCheck'] : [])];
log(`tsc ${tscArgs.join(' ')}`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
run(process.execPath, [tsc, ...tscArgs]);

let assets = 0;
for (const dir of SOURCE_DIRS) assets += copyAssets(dir, (name) => !isTypeScriptSource(name));
for (const dir of ASSET_DIRS) assets += copyAssets(dir, () => true);
log(`copied ${assets} runtime asset file(s)`);

// `mockd version --json` reports the commit and date of the build (src/util/package-info.ts).
const commit = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
writeFileSync(
  join(DIST, 'build-info.json'),
  `${JSON.stringify({ commit: commit.status === 0 ? commit.stdout.trim() : undefined, date: new Date().toISOString() })}\n`,
);

const missing = REQUIRED.filter((file) => !existsSync(join(ROOT, file)));
if (missing.length > 0) {
  log(`missing after build: ${missing.join(', ')}`);
  process.exit(1);
}
log(`dist/ ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${relative(process.cwd(), DIST) || '.'})`);
