// `mockd start -d --pid-file F` and `mockd stop` (issue 24): the Go mockd's daemon mode.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

describe('mockd start -d', () => {
  test('-d starts mockd in the background with a PID file; mockd stop stops it and the PID file goes', async (t) => {
    const dir = tempDir(t);
    const pidFile = join(dir, 'run', 'mockd.pid');
    const r = await runCli(['start', '-d', '--pid-file', pidFile, '--port', '0', '--admin-port', '0', '--no-persist', '--log-level', 'warn']);
    assert.equal(r.code, 0, r.stderr);
    const pid = Number(/^mockd started in background \(PID (\d+)\)$/m.exec(r.stdout)?.[1]);
    t.after(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    const adminUrl = /^Admin API: (\S+)$/m.exec(r.stdout)![1]!;
    assert.match(r.stdout, /^Mock server: http:\/\/127\.0\.0\.1:\d+$/m);
    const info = JSON.parse(readFileSync(pidFile, 'utf8'));
    assert.equal(info.pid, pid);
    assert.equal(info.adminApi, adminUrl);
    assert.equal(info.components.admin.port, Number(new URL(adminUrl).port));
    assert.equal((await fetchWithTimeout(`${adminUrl}/health`)).status, 200);
    assert.ok(existsSync(join(dir, 'run', 'daemon.log')));

    const stop = await runCli(['stop', '--pid-file', pidFile]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(stop.stdout, `Stopped mockd (PID ${pid})\n`);
    assert.equal(existsSync(pidFile), false);
    // Refused, not timed out: nothing listens there any more.
    await assert.rejects(fetchWithTimeout(`${adminUrl}/health`), (err: Error) => !/got no complete answer/.test(err.message));
    const again = await runCli(['stop', '--pid-file', pidFile]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no running mockd found/);
  });

  test('-d with --https-port prints the TLS line too, as a foreground start does', async (t) => {
    const dir = tempDir(t);
    const pidFile = join(dir, 'mockd.pid');
    const r = await runCli(['start', '-d', '--pid-file', pidFile, '--port', '0', '--admin-port', '0', '--https-port', '0', '--tls-auto', '--no-persist', '--log-level', 'warn']);
    assert.equal(r.code, 0, r.stderr);
    const pid = Number(/^mockd started in background \(PID (\d+)\)$/m.exec(r.stdout)?.[1]);
    t.after(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    assert.match(r.stdout, /^Mock server \(TLS\): https:\/\/127\.0\.0\.1:\d+$/m);
    const stop = await runCli(['stop', '--pid-file', pidFile]);
    assert.equal(stop.code, 0, stop.stderr);
  });
});
