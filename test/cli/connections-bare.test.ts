// `mockd <protocol> connections` with no verb lists, as in the Go mockd (issue 24).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startMockd } from '../helpers/mockd.ts';

describe('bare connections', () => {
  test('bare `<protocol> connections` lists like `connections list`; another word after it is a usage error', async (t) => {
    const m = await startMockd(t);
    const admin = ['--admin-url', m.adminUrl];
    const expected: Record<string, string> = {
      websocket: 'No active WebSocket connections\n', sse: 'No active SSE connections\n',
      mqtt: 'No active MQTT connections\n', grpc: 'No active gRPC streams\n',
    };
    for (const [group, text] of Object.entries(expected)) {
      const r = await runCli([group, 'connections', ...admin]);
      assert.equal(r.code, 0, `${group}: ${r.stderr}`);
      assert.equal(r.stdout, text);
    }
    const bad = await runCli(['ws', 'connections', 'lst', ...admin]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command "websocket connections lst"/);
  });
});
