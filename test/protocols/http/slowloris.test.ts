import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { once } from 'node:events';
import { startMockd } from '../../helpers/mockd.ts';
import { fetchWithTimeout } from '../../helpers/wait.ts';

test('a client that never finishes its headers is dropped while other requests are served', async (t) => {
  const m = await startMockd(t, { headersTimeoutMs: 500 });
  await m.createMock({ http: { matcher: { path: '/fine' }, response: { statusCode: 200, body: 'fine' } } });
  const socket = connect(m.mockPort, '127.0.0.1');
  t.after(() => socket.destroy());
  await once(socket, 'connect', { signal: AbortSignal.timeout(5000) });
  socket.write('GET /fine HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  let reply = '';
  socket.on('data', (d) => (reply += d));
  const started = performance.now();
  // Served normally meanwhile.
  assert.equal(await (await fetchWithTimeout(`${m.mockUrl}/fine`)).text(), 'fine');
  await once(socket, 'close', { signal: AbortSignal.timeout(5000) });
  const waited = performance.now() - started;
  assert.ok(waited < 4000, `dropped after ${waited.toFixed(0)} ms`);
  assert.match(reply, /^HTTP\/1\.1 408/);
});
