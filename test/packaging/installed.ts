// The package as a user gets it: `npm pack` of the checkout, `npm install <tarball>` into an empty folder, and the
// installed `mockd start` as a subprocess. The pack runs in a copy of the checkout (node_modules linked), so the
// checkout's own dist/ is never touched and two suites running at once cannot race on it.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { ROOT } from '../helpers/mockd.ts';
import { run } from './tools.ts';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// Not copied: installed or built things (the pack rebuilds them), VCS data, local scratch and test output.
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'dist-dashboard', 'scratch', '.mockd-data', join('test', 'artifacts')]);

export interface Installed {
  /** The folder the tarball was installed into (`<app>/node_modules/mockd`). */
  app: string;
  /** Paths inside the tarball, as `npm pack --json` lists them. */
  files: string[];
  packMs: number;
  installMs: number;
}

/** Packs a copy of the checkout into `work` and installs the tarball into `work/app` (registry, --prefer-offline). */
export async function packAndInstall(work: string): Promise<Installed> {
  const checkout = join(work, 'checkout');
  const notCopied = (src: string) => NOT_COPIED.has(relative(ROOT, src)) || src.endsWith('.tgz');
  cpSync(ROOT, checkout, { recursive: true, filter: (src) => !notCopied(src) });
  symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');

  let started = Date.now();
  // Types are `npm run typecheck`'s business; this checks what gets packed and that it runs (scripts/build.mjs).
  const env = { ...process.env, MOCKD_BUILD_NO_CHECK: '1' };
  const packed = await run(NPM, ['pack', '--json', '--pack-destination', work], { cwd: checkout, env, timeoutMs: 90_000 });
  assert.equal(packed.code, 0, `npm pack failed:\n${packed.stdout}\n${packed.stderr}`);
  // Lifecycle output (prepack runs the build) may precede the JSON report on stdout.
  const json = packed.stdout.slice(packed.stdout.search(/^\[/m));
  const [report] = JSON.parse(json) as [{ filename: string; files: { path: string }[] }];
  const packMs = Date.now() - started;

  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'mockd-pack-check', private: true }));
  started = Date.now();
  const args = ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, report.filename)];
  const installed = await run(NPM, args, { cwd: app, timeoutMs: 150_000 });
  assert.equal(installed.code, 0, `npm install failed:\n${installed.stdout}\n${installed.stderr}`);
  return { app, files: report.files.map((f) => f.path), packMs, installMs: Date.now() - started };
}

/** Root-relative paths of the files under `dir` that tsc does not compile: assets the code loads at run time. */
export function runtimeAssets(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...runtimeAssets(rel));
    else if (!/\.(c|m)?tsx?$/.test(entry.name) || /\.d\.(c|m)?ts$/.test(entry.name)) out.push(rel.split(sep).join('/'));
  }
  return out;
}

/** The environment without the test runner's loaders, so nothing can bring tsx in from outside the package. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
  delete env.NODE_OPTIONS;
  return env;
}

export interface InstalledMockd {
  child: ChildProcess;
  mockUrl: string;
  adminUrl: string;
  stderr(): string;
}

/** `node_modules/.bin/mockd start` on ports 0 without persistence; resolves once both startup lines are printed. */
export async function startInstalled(app: string, after: (fn: () => void) => void): Promise<InstalledMockd> {
  const bin = join(app, 'node_modules', '.bin', 'mockd');
  const child = spawn(bin, ['start', '--port', '0', '--admin-port', '0', '--no-persist'], {
    cwd: app,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const urls = await new Promise<{ mockUrl: string; adminUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`installed mockd did not start in 20 s; stderr: ${err}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const mock = /Mock server: (\S+)/.exec(out);
      const admin = /Admin API: (\S+)/.exec(out);
      if (mock && admin) {
        clearTimeout(timer);
        resolve({ mockUrl: mock[1]!, adminUrl: admin[1]! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`installed mockd exited with ${code} before starting; stderr: ${err}`));
    });
  });
  return { child, ...urls, stderr: () => err };
}
