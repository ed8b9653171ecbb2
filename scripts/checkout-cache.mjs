// Compiled JavaScript for `mockd` run from a source checkout (bin/mockd.js), so a CLI command does not pay for tsx
// compiling TypeScript on every run. src/ and workers/ are transpiled by esbuild (as tsx does, without type checks)
// into node_modules/.cache/mockd/<stamp>/, where the stamp is a hash of every source file's path, size and mtime:
// an edited source gets a new folder on the next run, so compiled code never shadows the code being worked on.
//
// The folder mirrors the checkout: src/ and workers/ compiled (`.ts` imports rewritten to `.js`), their other files
// copied (piscina `.mjs` task files), and links to the folders the code reaches by paths relative to its own module
// (the dashboard, its bundle and build script, benchmarks/). Bare imports resolve from the checkout's node_modules,
// since the cache sits inside it. Each build is written to a temporary folder and renamed into place, so two
// commands started at once never see a half-written cache.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIRS = ['src', 'workers'];
const LINKED = ['dashboard', 'dist-dashboard', 'scripts', 'benchmarks', 'package.json'];
const CACHE = join(ROOT, 'node_modules', '.cache', 'mockd');
/** Builds of other stamps are removed once they are this old (a running `mockd start` may still use its own). */
const STALE_MS = 24 * 60 * 60 * 1000;
/** Bump when the layout of a cache folder changes. */
const FORMAT = 1;

const isTypeScript = (name) => /\.(c|m)?ts$/.test(name) && !/\.d\.(c|m)?ts$/.test(name);

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function stampOf(files, esbuildVersion) {
  const hash = createHash('sha256').update(`${FORMAT}\0${esbuildVersion}\0${process.version}\0`);
  for (const file of [...files, join(ROOT, 'tsconfig.json')]) {
    const s = statSync(file);
    hash.update(`${relative(ROOT, file)}\0${s.size}\0${s.mtimeMs}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

async function build(files, into) {
  const esbuild = await import('esbuild');
  const rewriteImports = {
    name: 'mockd-checkout-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const path = /^\.\.?\//.test(args.path) ? args.path.replace(/\.(c|m)?ts$/, (ext) => ext.replace('t', 'j')) : args.path;
        return { path, external: true };
      });
    },
  };
  await esbuild.build({
    entryPoints: files.filter((f) => isTypeScript(f)),
    outdir: into,
    outbase: ROOT,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node}`,
    plugins: [rewriteImports],
    logLevel: 'silent',
  });
  for (const file of files.filter((f) => !isTypeScript(f))) {
    const to = join(into, relative(ROOT, file));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(file, to);
  }
  for (const name of LINKED) symlinkSync(join(ROOT, name), join(into, name));
}

function removeStale(keep) {
  for (const name of readdirSync(CACHE)) {
    if (name === keep) continue;
    const dir = join(CACHE, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs > STALE_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // another command removed it first
    }
  }
}

/**
 * The file URL of the compiled CLI entry for the checkout's current sources, building it first when needed
 * (about 0.2-0.5 s, once per change of the sources).
 */
export async function compiledCliEntry() {
  const files = SOURCE_DIRS.flatMap((dir) => listFiles(join(ROOT, dir)));
  // esbuild's version from its manifest: importing esbuild itself costs more than the rest of this check.
  const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'esbuild', 'package.json'), 'utf8'));
  const stamp = stampOf(files, version);
  const target = join(CACHE, stamp);
  const entry = join(target, 'src', 'cli', 'main.js');
  if (!existsSync(entry)) {
    mkdirSync(CACHE, { recursive: true });
    const temporary = join(CACHE, `.${stamp}-${process.pid}-${Date.now()}`);
    try {
      await build(files, temporary);
      renameSync(temporary, target);
    } catch (err) {
      rmSync(temporary, { recursive: true, force: true });
      // Another command finished the same build first: use theirs.
      if (!existsSync(entry)) throw err;
    }
    removeStale(stamp);
  }
  return pathToFileURL(entry).href;
}
