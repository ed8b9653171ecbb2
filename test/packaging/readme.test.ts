// The README as a new user follows it: the install section claims only what works today, and the typed-client
// snippet runs inside a checkout, unbuilt, exactly as the README says to run it. (The installed package's
// `import('mockd')` is checked by pack.test.ts.)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, ROOT, startMockd } from '../helpers/mockd.ts';
import { deferred, within } from '../helpers/wait.ts';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has a "## ${title}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('the README', () => {
  test('install section: npm pack and the tarball today, the registry only as what will work once published', () => {
    const install = section('Install');
    assert.match(install, /not published on the npm registry yet/);
    assert.match(install, /npm pack --pack-destination/);
    assert.match(install, /npm install \/tmp\/mockd-\*\.tgz/);
    for (const line of install.split('\n').filter((l) => /npm install (--save-dev |-g )?mockd\b/.test(l))) {
      assert.doesNotMatch(line, /^(npm|npx) /, `not given as a command to run today: ${line}`);
    }
    assert.match(install, /Once mockd is published, installing it will be the usual `npm install --save-dev mockd`/);
    assert.doesNotMatch(README, /## Install from npm/);
  });

  test('the typed-client snippet runs inside an unbuilt checkout with the import the README gives for it', async (t) => {
    const block = /From code,[\s\S]*?```ts\n([\s\S]*?)```/.exec(README)?.[1];
    assert.ok(block, 'the snippet is in the README');
    const checkoutImport = /from 'mockd'; \/\/ in a checkout of mockd: from '([^']+)'/.exec(block)?.[1];
    assert.ok(checkoutImport, `the snippet says what to import in a checkout: ${block}`);
    assert.match(README, /run the file with `npx tsx <file>\.ts` from the checkout's root/);

    const mockd = await startMockd(t);
    const file = join(ROOT, `.readme-snippet-${process.pid}.ts`);
    t.after(() => rmSync(file, { force: true }));
    const code = block
      .replace(/from 'mockd';.*$/m, `from '${checkoutImport}';`)
      .replaceAll('http://127.0.0.1:4290', mockd.adminUrl)
      .concat('\nconsole.log(JSON.stringify({ id: mock.id, passed }));\n');
    writeFileSync(file, code);

    // `npx tsx <file>` is node with tsx's loader, from the checkout's root.
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    t.after(() => child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = deferred<[number | null, NodeJS.Signals | null]>();
    child.once('exit', (code, signal) => exited.resolve([code, signal]));

    // "... exercise the system under test ...": call the mock the snippet created until the snippet ends, so a call
    // lands after its waitFor has started (waitFor counts calls from then on).
    const listed = await eventually(() => mockd.api('/mocks'), (r) => r.body.mocks.some((m: any) => m.http?.matcher?.path === '/pay'), 30_000);
    const created = listed.body.mocks.find((m: any) => m.http?.matcher?.path === '/pay');
    let running = true;
    void exited.promise.then(() => (running = false));
    const deadline = Date.now() + 30_000;
    while (running && Date.now() < deadline) {
      assert.equal((await fetch(`${mockd.mockUrl}/pay`, { signal: AbortSignal.timeout(10_000) })).status, 202);
      await new Promise((r) => setTimeout(r, 200));
    }

    const [status] = await within(exited.promise, 'the snippet to exit', 30_000).catch(() => ['no exit in 30 s']);
    assert.equal(status, 0, stderr);
    assert.deepEqual(JSON.parse(stdout.trim()), { id: created.id, passed: true });
  });
});
