// The HTTPS port in a worker pool (README "Workers", "TLS"): with `--workers 2` both http workers serve the HTTPS port
// as they share the mock port, so wss clients land on either member and one listing shows them all. Where the runtime
// cannot share a port, one http worker serves both ports and the same checks pass but "both members seen".

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { startTlsMockd, wssOptions } from '../helpers/tls.ts';
import { nextEvent } from '../helpers/wait.ts';
import { assertBothMembers, CLIENTS } from '../coordinator/pool-helpers.ts';

describe('HTTPS port with --workers 2', () => {
  test('wss clients of both members are listed with tls; /ports lists the HTTPS port once; a reload reaches every member', async (t) => {
    const m = await startTlsMockd(t, { workers: 2 });
    await m.createMock({ type: 'websocket', websocket: { path: '/ws', echoMode: true } });
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const ws = new WebSocket(`wss://127.0.0.1:${m.httpsPort}/ws`, wssOptions(m.ca));
        t.after(() => ws.terminate());
        await nextEvent(ws, 'open');
        return ws;
      }),
    );
    const list = (await m.api('/websocket/connections')).body;
    assert.equal(list.connections.length, clients.length);
    assert.ok(list.connections.every((c: any) => c.tls?.protocol === 'TLSv1.3'));
    assert.equal(list.stats.tlsConnections, clients.length);
    assertBothMembers(t, list.connections, 'http');
    const https = (await m.api('/ports')).body.ports.filter((p: any) => p.tls);
    assert.deepEqual(https.map((p: any) => p.port), [m.httpsPort]);
    const reload = await m.api('/tls/reload', { method: 'POST' });
    assert.equal(reload.status, 200);
    // Every live client is still served after the reload.
    for (const ws of clients) {
      ws.send('after reload');
      assert.equal(String((await nextEvent(ws, 'message'))[0]), 'after reload');
    }
  });
});
