// What a new user meets in the first minutes: `mockd start` from any folder, and help printed once in the words
// the user types.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, spawnMockd, tempDir } from '../helpers/mockd.ts';

// Both ways a checkout runs: compiled (the default) and the sources through tsx, where each worker registers tsx.
for (const [how, env] of [['compiled', {}], ['through tsx (MOCKD_TSX=1)', { MOCKD_TSX: '1' }]] as const) {
describe(`mockd start from a folder outside the checkout, ${how}`, () => {
  test('starts every worker and serves a mock created from that folder', async (t) => {
    const elsewhere = tempDir(t, 'mockd-elsewhere-');
    const server = await spawnMockd(t, ['--no-persist'], env, elsewhere);
    t.after(() => server.stop());
    const health = await (await fetch(`${server.adminUrl}/health`, { signal: AbortSignal.timeout(10_000) })).json();
    assert.deepEqual(Object.values(health.workers).map((w: any) => w.state), ['running', 'running', 'running'], JSON.stringify(health));
    const add = await runCli(['add', '--admin-url', server.adminUrl, '--path', '/from-elsewhere', '-b', 'ok'], { cwd: elsewhere });
    assert.equal(add.code, 0, add.stderr);
    const res = await fetch(`${server.mockUrl}/from-elsewhere`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(await res.text(), 'ok');
    assert.doesNotMatch(server.stderr(), /Cannot find package/);
  });
});
}

describe('mockd --help', () => {
  test('prints the global help once, listing multi-word commands by the words the user types', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.match(/^Usage:/gm)?.length, 1, r.stdout);
    assert.equal(r.stdout.match(/^Commands:/gm)?.length, 1, r.stdout);
    // The same verbs of the four protocols are one line each, with the words they take.
    assert.match(r.stdout, /^ {2}websocket\|sse\|mqtt\|grpc connections \[list\] {2,}List live connections of one protocol/m);
    assert.match(r.stdout, /^ {2}websocket connections send <id> <message> {2,}/m);
    assert.match(r.stdout, /^ {2}chaos enable\|disable\|status\|profiles\|apply {2,}/m);
    assert.match(r.stdout, /^ {2}mqtt publish <topic> <message> {2,}/m);
    assert.match(r.stdout, /^ {2}logs clear {2,}/m);
    assert.doesNotMatch(r.stdout, /\w:\w/, 'no internal command:name tokens');
    assert.ok(r.stdout.split('\n').length < 60, `help is ${r.stdout.split('\n').length} lines`);
  });

  test('add --help prints only the help of add', async () => {
    const r = await runCli(['add', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.match(/^Usage:/gm)?.length, 1, r.stdout);
    assert.match(r.stdout, /\$ mockd add \[type\]/);
    assert.match(r.stdout, /--rpc-method <name>/);
    assert.doesNotMatch(r.stdout, /^Commands:/m);
  });

  test('a multi-word command shows its usage in words', async () => {
    const r = await runCli(['ws', 'connections', 'list', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\$ mockd websocket connections list$/m);
    assert.equal(r.stdout.match(/^Usage:/gm)?.length, 1, r.stdout);
  });
});
