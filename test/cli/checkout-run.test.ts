// `mockd` run from a source checkout: compiled once into a cache keyed by the sources (scripts/checkout-cache.mjs),
// so a command costs about what the installed package costs, and an edited source is never shadowed by old output.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, tempDir } from '../helpers/mockd.ts';

const TIME = '/usr/bin/time';

/** CPU seconds (user + system) of one run: steadier than wall time on a shared, loaded machine. */
function cpuSecondsOf(args: string[]): number {
  const r = spawnSync(TIME, ['-f', 'cpu %U %S', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const m = /cpu (\d+\.\d+) (\d+\.\d+)/.exec(r.stderr);
  assert.ok(m, r.stderr);
  return Number(m[1]) + Number(m[2]);
}

describe('mockd run from a checkout', () => {
  test('a command runs compiled JavaScript: well under half a second of CPU (tsx took over a second)', { skip: !existsSync(TIME) && 'no /usr/bin/time' }, async () => {
    const args = [BIN, 'list', '--admin-url', 'http://127.0.0.1:1'];
    cpuSecondsOf(args); // builds the cache if the sources changed since the last run
    const runs = [cpuSecondsOf(args), cpuSecondsOf(args), cpuSecondsOf(args)].sort((a, b) => a - b);
    assert.ok(runs[1]! < 0.5, `median CPU ${runs[1]} s of ${runs.join(', ')}`);
  });

  test('an edited source is what runs next, never the compiled output of the old one', async (t) => {
    const copy = tempDir(t, 'mockd-checkout-');
    for (const entry of ['bin', 'src', 'workers', 'scripts', 'package.json', 'tsconfig.json']) {
      cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const cli = join(copy, 'bin', 'mockd.js');
    const before = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', timeout: 60_000 });
    assert.match(before.stdout, /Check that the admin API answers/);

    const status = join(copy, 'src', 'cli', 'commands', 'status.ts');
    writeFileSync(status, readFileSync(status, 'utf8').replace('Check that the admin API answers', 'Edited description'));
    const after = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(after.status, 0, after.stderr);
    assert.match(after.stdout, /Edited description/);
  });
});
