// `mockd add` updates the HTTP mock that already answers the same method and path (issue 24), as the Go mockd does.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startMockd } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

describe('mockd add updates the mock that already answers the same thing', () => {
  test('HTTP: the same method and path is updated, unless --allow-duplicate', async (t) => {
    const m = await startMockd(t);
    const admin = ['--admin-url', m.adminUrl];
    const first = await runCli(['add', 'http', '--path', '/api/hello', '--body', 'one', ...admin]);
    const id = /^Created mock: (\S+)$/m.exec(first.stdout)![1];
    const second = await runCli(['add', 'http', '--path', '/api/hello', '--body', 'two', ...admin]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`^Updated mock: ${id}\\n  Type: http\\n  Method: GET\\n  Path: /api/hello\\n  Status: 200\\n$`));
    assert.equal(await (await fetchWithTimeout(`${m.mockUrl}/api/hello`)).text(), 'two');
    assert.equal((await m.api('/mocks')).body.total, 1);
    const list = await runCli(['list', ...admin]);
    assert.match(list.stdout, /Total: 1 mock\(s\)/);

    const post = await runCli(['add', '--method', 'POST', '--path', '/api/hello', '--body', 'posted', ...admin]);
    assert.match(post.stdout, /^Created mock: /);
    const dup = await runCli(['add', 'http', '--path', '/api/hello', '--body', 'three', '--allow-duplicate', ...admin, '--json']);
    assert.equal(JSON.parse(dup.stdout).action, 'created');
    assert.equal((await m.api('/mocks')).body.total, 3);
  });

});
