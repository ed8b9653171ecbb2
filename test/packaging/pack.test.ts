// The npm package: `npm pack` (prepack builds dist/), `npm install <tarball>` into an empty folder, then the installed
// `mockd start` serves every protocol's mocks and the dashboard from compiled JavaScript alone (contract §10), and
// exits 0 on SIGTERM (§1). Slow by nature (about 10 s on an idle machine with a warm npm cache, 40-50 s under load);
// bounded at 180 s.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/mockd.ts';
import { run } from './tools.ts';
import { cleanEnv, packAndInstall, runtimeAssets, startInstalled, type Installed } from './installed.ts';
import { fetchWithTimeout, processExit } from '../helpers/wait.ts';

interface Reply {
  status: number;
  type: string;
  text: string;
}

async function call(url: string, init: { method?: string; body?: unknown } = {}): Promise<Reply> {
  const res = await fetchWithTimeout(url, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function createMock(adminUrl: string, mock: unknown): Promise<void> {
  const r = await call(`${adminUrl}/mocks`, { method: 'POST', body: mock });
  assert.equal(r.status, 201, r.text);
}

const PROTO = 'syntax = "proto3"; package packed; service Echo { rpc Say (Msg) returns (Msg); } message Msg { string text = 1; }';

describe('the npm package', { timeout: 180_000 }, () => {
  let work: string;
  let pkg: Installed;

  before(
    async () => {
      work = mkdtempSync(join(tmpdir(), 'mockd-pack-'));
      pkg = await packAndInstall(work);
    },
    { timeout: 170_000 },
  );
  after(() => rmSync(work, { recursive: true, force: true }));

  test('the tarball holds bin/, the compiled dist/ and its runtime assets, but no TypeScript sources or tests', (t) => {
    t.diagnostic(`npm pack (with the build) took ${pkg.packMs} ms, npm install ${pkg.installMs} ms`);
    const required = ['package.json', 'bin/mockd.js', 'dist/src/cli/main.js', 'dist/src/server.js', 'dist/dist-dashboard/index.html'];
    const workers = ['http', 'mqtt', 'grpc'].map((w) => `dist/workers/${w}.js`);
    const assets = [...runtimeAssets('src'), ...runtimeAssets('workers')].map((a) => `dist/${a}`);
    for (const file of [...required, ...workers, ...assets]) assert.ok(pkg.files.includes(file), `${file} is packed`);
    const isSourceOrTest = (f: string) => /^(src|test|benchmarks|scratch|dist\/test)\//.test(f) || /(?<!\.d)\.(c|m)?tsx?$/.test(f);
    assert.deepEqual(pkg.files.filter(isSourceOrTest), []);
  });

  test('installs with the manifest fields of the contract and without tsx', () => {
    const installed = join(pkg.app, 'node_modules', 'mockd');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    assert.equal(manifest.type, 'module');
    assert.equal(manifest.engines.node, '>=20.19');
    assert.equal(manifest.bin.mockd, 'bin/mockd.js');
    assert.ok(!existsSync(join(installed, 'src')), 'no src/, so bin/mockd.js runs dist/');
    // tsx is a devDependency: it cannot be resolved from the installed app, so nothing at run time can load it.
    assert.throws(() => createRequire(join(pkg.app, 'package.json')).resolve('tsx'), { code: 'MODULE_NOT_FOUND' });
  });

  test('the installed `mockd start` serves every protocol and the dashboard, and exits 0 on SIGTERM', async () => {
    const mockd = await startInstalled(pkg.app, after);
    assert.equal(JSON.parse((await call(`${mockd.mockUrl}/__mockd/health`)).text).status, 'healthy');

    await createMock(mockd.adminUrl, { http: { matcher: { path: '/packed' }, response: { statusCode: 200, body: { from: 'tarball' } } } });
    assert.deepEqual(JSON.parse((await call(`${mockd.mockUrl}/packed`)).text), { from: 'tarball' });

    // Response scripts run in the piscina pool from the copied .mjs task file (contract §3.4).
    const script = 'return { body: { sum: 1 + Number(request.query.n) } };';
    await createMock(mockd.adminUrl, { http: { matcher: { path: '/sum' }, response: { statusCode: 200, script } } });
    assert.deepEqual(JSON.parse((await call(`${mockd.mockUrl}/sum?n=41`)).text), { sum: 42 });

    // The mqtt and grpc workers start from dist/workers as well, and bind their mocks' ports.
    await createMock(mockd.adminUrl, { id: 'packed-mqtt', mqtt: { port: 0, topics: [{ topic: 'packed/t' }] } });
    const services = { 'packed.Echo': { methods: { Say: { response: { text: 'hi' } } } } };
    await createMock(mockd.adminUrl, { id: 'packed-grpc', grpc: { port: 0, protoContent: PROTO, services } });
    const { ports } = JSON.parse((await call(`${mockd.adminUrl}/ports`)).text) as { ports: { mockId?: string; status: string }[] };
    for (const id of ['packed-mqtt', 'packed-grpc']) assert.equal(ports.find((p) => p.mockId === id)?.status, 'listening', id);

    const page = await call(`${mockd.adminUrl}/`);
    assert.equal(page.status, 200);
    assert.match(page.type, /^text\/html/);
    const bundle = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(bundle.length > 0, 'the page references its bundle');
    for (const asset of bundle) assert.equal((await call(new URL(asset, `${mockd.adminUrl}/`).href)).status, 200, asset);

    mockd.child.kill('SIGTERM');
    const { code } = await processExit(mockd.child, 'the installed mockd to exit after SIGTERM', 10_000);
    assert.equal(code, 0, mockd.stderr());
  });

  test('`import("mockd")` loads the compiled front door', async (t) => {
    if (!existsSync(join(ROOT, 'src', 'index.ts'))) {
      t.skip('src/index.ts does not exist yet, so the package has no front door to import');
      return;
    }
    const probe = "const m = await import('mockd'); console.log(Object.keys(m).length);";
    const r = await run(process.execPath, ['--input-type=module', '-e', probe], { cwd: pkg.app, env: cleanEnv() });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Number(r.stdout.trim()) > 0, 'it exports something');
  });
});
