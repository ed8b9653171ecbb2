// The Go mockd's CI smoke steps, run unchanged against mockd (issue 24, README "Coming from the Go mockd").

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, runCli, tempDir } from '../helpers/mockd.ts';
import { spawnServer } from '../helpers/go-compat.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

describe("the Go mockd's CI smoke sequence", () => {
  test('runs unchanged: version, serve --no-auth … --log-level warn, /health, add, list, fetch', async (t) => {
    const version = await runCli(['version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^mockd v\d+\.\d+\.\d+/);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);

    // `./mockd serve --no-auth --port 4280 --admin-port 4290 --log-level warn &` with the ports made free ones.
    const dataDir = tempDir(t);
    const server = await spawnServer(t, ['serve', '--no-auth', '--port', '0', '--admin-port', '0', '--log-level', 'warn'], {
      MOCKD_DATA_DIR: dataDir,
      MOCKD_API_KEY: 'set-in-the-environment',
    });
    const health = await eventually(() => fetchWithTimeout(`${server.adminUrl}/health`).then((r) => r.status, () => 0), (s) => s === 200, 30_000);
    assert.equal(health, 200);

    const env = { MOCKD_ADMIN_URL: server.adminUrl, MOCKD_API_KEY: '' };
    const add = await runCli(['add', 'http', '--path', '/api/hello', '--status', '200', '--body', '{"message":"hello"}'], { env });
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /^Created mock: http_[0-9a-f]{16}$/m);
    const response = await fetchWithTimeout(`${server.mockUrl}/api/hello`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /hello/);

    const list = await runCli(['list'], { env });
    assert.equal(list.code, 0);
    assert.match(list.stdout, /\/api\/hello/);
    const listJson = JSON.parse((await runCli(['list', '--json'], { env })).stdout);
    assert.equal(listJson.length, 1);
    // --log-level warn: nothing at info level reached stderr.
    assert.doesNotMatch(server.stderr(), /info:/);
  });

});
