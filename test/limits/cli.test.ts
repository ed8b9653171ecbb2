// `mockd start --max-connections <n>` (env MOCKD_MAX_CONNECTIONS) as a user runs it: a subprocess whose cap the
// WebSocket upgrade shows, and bad values rejected as usage errors (exit 2).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminClient, runCli, spawnMockd } from '../helpers/mockd.ts';
import { connect, refusedUpgrade, wsMock, wsUrl } from '../protocols/websocket/helpers.ts';

describe('mockd start --max-connections', () => {
  for (const [how, args, env] of [
    ['the flag', ['--max-connections', '1'], {}],
    ['MOCKD_MAX_CONNECTIONS', [], { MOCKD_MAX_CONNECTIONS: '1' }],
  ] as const) {
    test(`caps live WebSocket clients when set with ${how}`, async (t) => {
      const mockd = await spawnMockd(t, [...args, '--no-persist'], env);
      const admin = adminClient(mockd.adminUrl);
      await admin.createMock(wsMock('ws_cli', { path: '/cli' }));
      await connect(t, wsUrl(mockd.mockUrl, '/cli'));
      const refused = await refusedUpgrade(wsUrl(mockd.mockUrl, '/cli'));
      assert.equal(refused.status, 503);
      assert.equal(refused.body.error, 'too_many_connections');
      assert.equal(await mockd.stop(), 0);
    });
  }

  for (const bad of ['-1', 'many', '1.5']) {
    test(`exits 2 with a usage error for --max-connections=${bad}`, async () => {
      const r = await runCli(['start', '--port', '0', '--admin-port', '0', '--no-persist', `--max-connections=${bad}`], { timeoutMs: 20_000 });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--max-connections/);
    });
  }
});
