// test/run.js (issue 27): a directory stands for its *.test.ts files, and a run that executes no test fails.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, tempDir } from '../helpers/mockd.ts';
import { processExit } from '../helpers/wait.ts';

/** Runs `node test/run.js …args` and returns its exit code and output. */
async function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  // NODE_TEST_CONTEXT would make the inner node:test think it runs inside this one and skip its files.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(process.execPath, [join(ROOT, 'test', 'run.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, TEST_CONCURRENCY: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const { code } = await processExit(child, 'test/run.js to finish', 60_000);
  return { code, out, err };
}

const PASSING = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('one', () => assert.equal(1, 1));\ntest('two', () => assert.equal(2, 2));\n";
const EMPTY = "import { test } from 'node:test';\nvoid test;\n";

describe('test/run.js', () => {
  test('runs every *.test.ts under a directory given as an argument, nested ones too, and nothing else', async (t) => {
    const dir = tempDir(t);
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'a.test.ts'), PASSING);
    writeFileSync(join(dir, 'nested', 'b.test.ts'), PASSING);
    writeFileSync(join(dir, 'helper.ts'), "throw new Error('not a test file');\n");
    const r = await run([dir]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^# pass 4$/m);
    assert.match(r.out, /^# fail 0$/m);
  });

  test('fails when the files given define no test, saying so', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'empty.test.ts'), EMPTY);
    const r = await run([dir]);
    assert.equal(r.code, 1);
    assert.match(r.err, /empty\.test\.ts ran no test/);
    assert.match(r.err, /no test ran \(1 file\(s\)/);
  });

  test('fails when a directory holds no test file, and for a path that does not exist', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'helper.ts'), 'export {};\n');
    const none = await run([dir]);
    assert.equal(none.code, 1);
    assert.match(none.err, /no \*\.test\.ts files in /);
    const missing = await run([join(dir, 'nope')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no such file or directory/);
  });

  test('fails the run when a test fails', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'red.test.ts'), "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('red', () => assert.equal(1, 2));\n");
    const r = await run([dir]);
    assert.equal(r.code, 1);
    assert.match(r.out, /^# fail 1$/m);
  });
});
