// `mockd version [--json]`, `--version` and `-v` (issue 24): the Go mockd CI's "Verify binary runs" step.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/mockd.ts';

describe('mockd version', () => {
  test('`mockd version --json` prints build details; `--version` and `-v` print the version', async () => {
    const json = await runCli(['version', '--json']);
    assert.equal(json.code, 0);
    assert.match(json.stdout, /^\{/);
    const info = JSON.parse(json.stdout);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(info.version, pkg.version);
    assert.equal(info.node, process.version);
    assert.equal(info.os, process.platform);
    assert.equal(info.arch, process.arch);
    for (const flag of ['--version', '-v']) {
      const r = await runCli([flag]);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^mockd v${pkg.version.replace(/\./g, '\\.')}`));
    }
  });
});
