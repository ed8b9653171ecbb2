import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { runCli, spawnMockd, type MockdProcess } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

describe('the mockd CLI against a running mockd', () => {
  let server: MockdProcess;
  const cleanups: (() => unknown)[] = [];
  let admin: string[];
  before(async () => {
    server = await spawnMockd({ after: (fn: () => unknown) => cleanups.push(fn) }, ['--no-persist']);
    admin = ['--admin-url', server.adminUrl];
  });
  after(async () => {
    for (const fn of cleanups) await fn();
  });

  test('start prints exactly the two URL lines, and nothing else to stdout in its whole life', async (t) => {
    assert.match(server.mockUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(server.adminUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    // A mockd of its own, run to its exit: only then is all of its stdout known.
    const own = await spawnMockd(t, ['--no-persist']);
    assert.equal((await fetchWithTimeout(`${own.adminUrl}/health`)).status, 200);
    assert.equal(await own.stop('SIGTERM'), 0, own.stderr());
    await own.stdoutEnded();
    assert.equal(own.stdout(), `Mock server: ${own.mockUrl}\nAdmin API: ${own.adminUrl}\n`);
  });

  test('add creates an HTTP mock that curl-style fetch then gets, and prints its summary', async () => {
    const r = await runCli(['add', ...admin, '--path', '/cli-hello', '-b', '{"hi":"there"}', '-H', 'X-Test: yes', '--id', 'cli-hello', '-s', '201']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Created mock: cli-hello\n  Type: http\n  Method: GET\n  Path: /cli-hello\n  Status: 201\n');
    const res = await fetchWithTimeout(`${server.mockUrl}/cli-hello`);
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-test'), 'yes');
    assert.deepEqual(await res.json(), { hi: 'there' });
  });

  test('add with matching flags creates a mock that matches only the right requests', async () => {
    const r = await runCli(['add', 'http', ...admin, '--id', 'cli-match', '-m', 'post', '--path', '/cli-match', '--match-header', 'X-Key: abc', '--match-query', 'q=1', '--match-body-contains', 'needle', '--delay', '10', '--priority', '2']);
    assert.equal(r.code, 0, r.stderr);
    const ok = await fetchWithTimeout(`${server.mockUrl}/cli-match?q=1`, { method: 'POST', headers: { 'X-Key': 'abc' }, body: 'hay needle hay' });
    assert.equal(ok.status, 200);
    const miss = await fetchWithTimeout(`${server.mockUrl}/cli-match?q=2`, { method: 'POST', headers: { 'X-Key': 'abc' }, body: 'needle' });
    assert.equal(miss.status, 404);
  });

  test('list prints the table and total; --json prints the rows', async () => {
    await runCli(['add', ...admin, '--path', '/cli-list', '--id', 'cli-list']);
    const r = await runCli(['list', ...admin]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s{2,}TYPE\s{2,}PATH\s{2,}METHOD\s{2,}STATUS\s{2,}ENABLED$/);
    assert.ok(lines.some((l) => /^cli-list\s{2,}http\s{2,}\/cli-list\s{2,}GET\s{2,}200\s{2,}true$/.test(l)), r.stdout);
    assert.match(lines.at(-1)!, /^Total: \d+ mock\(s\)$/);
    const j = await runCli(['list', ...admin, '--json']);
    const rows = JSON.parse(j.stdout);
    assert.ok(rows.some((row: any) => row.id === 'cli-list' && row.type === 'http' && row.path === '/cli-list' && row.enabled === true));
    assert.equal(j.stdout, `${JSON.stringify(rows, null, 2)}\n`);
  });

  test('get prints the mock as pretty JSON; update edits it; delete removes it', async () => {
    await runCli(['add', ...admin, '--path', '/cli-edit', '--id', 'cli-edit']);
    const g = await runCli(['get', 'cli-edit', ...admin]);
    assert.equal(JSON.parse(g.stdout).id, 'cli-edit');
    const u = await runCli(['update', 'cli-edit', ...admin, '--status', '418', '--body', 'teapot', '--name', 'pot']);
    assert.equal(u.code, 0, u.stderr);
    assert.equal(u.stdout, 'Updated mock: cli-edit\n');
    const res = await fetchWithTimeout(`${server.mockUrl}/cli-edit`);
    assert.equal(res.status, 418);
    assert.equal(await res.text(), 'teapot');
    const d = await runCli(['delete', 'cli-edit', ...admin]);
    assert.equal(d.stdout, 'Deleted mock: cli-edit\n');
    assert.equal((await fetchWithTimeout(`${server.mockUrl}/cli-edit`)).status, 404);
  });

  test('update --enabled false disables the mock', async () => {
    await runCli(['add', ...admin, '--path', '/cli-off', '--id', 'cli-off']);
    const u = await runCli(['update', 'cli-off', ...admin, '--enabled', 'false']);
    assert.equal(u.code, 0, u.stderr);
    assert.equal((await fetchWithTimeout(`${server.mockUrl}/cli-off`)).status, 404);
  });

  test('ports prints the port table; health prints the healthy line', async () => {
    const p = await runCli(['ports', ...admin]);
    assert.match(p.stdout.split('\n')[0]!, /^PORT\s{2,}PROTOCOL\s{2,}COMPONENT\s{2,}MOCK ID\s{2,}STATUS$/);
    assert.ok(p.stdout.includes('mock-server'));
    assert.ok(p.stdout.includes('admin-api'));
    const h = await runCli(['health', ...admin]);
    assert.match(h.stdout, new RegExp(`^mockd admin API at ${server.adminUrl.replace(/[.]/g, '\\.')} is healthy \\(uptime \\d+s\\)\\n$`));
  });

  test('an API error prints Error: <message> and exits 1; --json prints the error object', async () => {
    const r = await runCli(['get', 'no-such-mock', ...admin]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: Mock not found\n');
    const j = await runCli(['get', 'no-such-mock', ...admin, '--json']);
    assert.equal(j.code, 1);
    assert.deepEqual(JSON.parse(j.stdout), { error: 'not_found', message: 'Mock not found' });
  });

  test('multi-word connection commands work with their aliases', async () => {
    const ws = await runCli(['ws', 'connections', 'ls', ...admin]);
    assert.equal(ws.code, 0, ws.stderr);
    assert.equal(ws.stdout, 'No active WebSocket connections\n');
    const missing = await runCli(['websocket', 'connections', 'get', 'ws-999', ...admin]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error: Connection not found\n');
    const stats = await runCli(['sse', 'stats', ...admin]);
    assert.equal(stats.code, 0);
    assert.match(stats.stdout, /^Total Connections: \d+$/m);
    assert.match(stats.stdout, /^Active Connections: \d+$/m);
  });
});

describe('CLI usage and reachability', () => {
  test('an unknown command exits 2 with usage on stderr', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command/);
  });

  test('a bare group lists its subcommands and exits 2', async () => {
    const r = await runCli(['websocket']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /connections list/);
    assert.match(r.stderr, /stats/);
  });

  test('a missing argument exits 2', async () => {
    const r = await runCli(['get']);
    assert.equal(r.code, 2);
  });

  test('invalid base64 for send --binary exits 2 before any request', async () => {
    const r = await runCli(['websocket', 'connections', 'send', 'ws-1', 'not base64!', '--binary', '--admin-url', 'http://127.0.0.1:1']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'Error: invalid base64 data\n');
  });

  test('an unreachable admin API prints the contract message and exits 1', async () => {
    const r = await runCli(['list', '--admin-url', 'http://127.0.0.1:1']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error: cannot reach mockd admin API at http://127.0.0.1:1: is `mockd start` running?\n');
  });

  test('MOCKD_ADMIN_URL is used when --admin-url is absent', async () => {
    const r = await runCli(['health'], { env: { MOCKD_ADMIN_URL: 'http://127.0.0.1:1' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /http:\/\/127\.0\.0\.1:1/);
  });

  test('SIGTERM and SIGINT shut mockd down with exit code 0 and release the ports', async (t) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const m = await spawnMockd(t, ['--no-persist']);
      const code = await m.stop(signal);
      assert.equal(code, 0, `${signal}: ${m.stderr()}`);
      await assert.rejects(fetchWithTimeout(`${m.adminUrl}/health`));
      await assert.rejects(fetchWithTimeout(`${m.mockUrl}/__mockd/health`));
    }
  });
});
