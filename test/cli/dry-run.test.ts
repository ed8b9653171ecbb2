// `mockd update … --dry-run` and `mockd delete ID --dry-run` (README "Mock changes"): they print which live
// connections the change would close, drain or keep, and change nothing; `--on-change` sets the policy.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { eventually, runCli, startMockd } from '../helpers/mockd.ts';
import { nextEvent } from '../helpers/wait.ts';

test('mockd update --dry-run and mockd delete --dry-run name the connections and change nothing', async (t) => {
  const m = await startMockd(t);
  const admin = ['--admin-url', m.adminUrl];
  await m.createMock({ id: 'feed', type: 'websocket', websocket: { path: '/feed', defaultResponse: { type: 'text', value: 'a' } } });
  const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/feed`);
  t.after(() => ws.terminate());
  await nextEvent(ws, 'open');
  const [{ id }] = await eventually(async () => (await m.api('/mocks/feed/websocket/connections')).body.connections, (c: { id: string }[]) => c.length === 1);

  const update = await runCli(['update', 'feed', '--on-change', 'keep', '--dry-run', ...admin]);
  assert.equal(update.code, 0, update.stderr);
  assert.match(update.stdout, /^Dry run: update mock feed \(nothing changed\)$/m);
  assert.match(update.stdout, /^ {2}onChange: keep$/m);
  assert.match(update.stdout, new RegExp(`^  websocket keep: ${id}$`, 'm'));
  assert.match(update.stdout, /^ {2}websocket close: -$/m);
  assert.equal((await m.api('/mocks/feed')).body.onChange, undefined, 'the dry run stored nothing');

  const del = JSON.parse((await runCli(['delete', 'feed', '--dry-run', '--json', ...admin])).stdout);
  assert.equal(del.dryRun, true);
  assert.deepEqual(del.connections, { websocket: { close: [id], drain: [], keep: [] } });
  assert.equal((await m.api('/mocks/feed')).status, 200, 'the dry run deleted nothing');
  assert.equal(ws.readyState, WebSocket.OPEN);

  const bad = await runCli(['update', 'feed', '--on-change', 'later', ...admin]);
  assert.equal(bad.code, 2, 'a usage error');
  assert.match(bad.stderr, /--on-change must be close, drain or keep/);

  const set = await runCli(['update', 'feed', '--on-change', 'drain', '--drain-timeout', '250', ...admin]);
  assert.equal(set.code, 0, set.stderr);
  const stored = (await m.api('/mocks/feed')).body;
  assert.equal(stored.onChange, 'drain');
  assert.equal(stored.drainTimeoutMs, 250);
});
