// `mockd start`/`serve` with the Go mockd's flags (issue 24): implemented ones keep their meaning, the others warn.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as netConnect } from 'node:net';
import { runCli } from '../helpers/mockd.ts';
import { spawnServer } from '../helpers/go-compat.ts';
import { fetchWithTimeout, nextEvent } from '../helpers/wait.ts';

describe('mockd start flags of the Go mockd', () => {
  test('Go-only flags start mockd with one warning line naming each; implemented ones keep their meaning', async (t) => {
    const server = await spawnServer(t, [
      'start', '--port', '0', '--admin-port', '0', '--no-persist', '--api-key', 'k', '--no-auth',
      '--mtls-enabled', '--mtls-allowed-cns', 'alice', '--mcp', '--chaos-enabled', '--load', './mocks',
      '--max-log-entries', '3', '--log-format', 'json', '--log-level', 'warn', '--cors-origins', 'http://app.test',
      '--read-timeout', '30', '--write-timeout', '30', '--max-connections', '5',
    ]);
    const lines = server.stderr().trim().split('\n').map((l) => JSON.parse(l));
    const warned = lines.filter((l) => l.level === 'WARN').map((l) => /^--([a-z-]+) is not supported/.exec(l.msg)?.[1]);
    assert.deepEqual(warned.sort(), ['chaos-enabled', 'load', 'mcp', 'mtls-allowed-cns', 'mtls-enabled']);
    for (const l of lines) assert.equal(typeof l.time, 'string');

    // --no-auth wins over --api-key: the admin API answers without a key.
    assert.equal((await fetchWithTimeout(`${server.adminUrl}/mocks`)).status, 200);
    // --max-log-entries is --journal-size: the journal keeps the last 3 requests.
    for (let i = 0; i < 5; i++) await (await fetchWithTimeout(`${server.mockUrl}/nothing-${i}`)).text();
    const journal = await (await fetchWithTimeout(`${server.adminUrl}/requests`)).json();
    assert.equal(journal.total, 3);
    assert.deepEqual(journal.requests.map((r: any) => r.http.path), ['/nothing-2', '/nothing-3', '/nothing-4']);
    // --cors-origins as before.
    const preflight = await fetchWithTimeout(`${server.adminUrl}/mocks`, { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://app.test');
  });

  test('a flag neither mockd knows is still a usage error (exit 2)', async () => {
    const r = await runCli(['serve', '--port', '0', '--admin-port', '0', '--no-persist', '--tls-certificate', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown option `--tls-certificate`/);
    const bad = await runCli(['start', '--log-format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--log-format must be text or json/);
  });

  test('--read-timeout answers 408 to a request that stalls; --write-timeout cuts a slow response, not SSE', async (t) => {
    const server = await spawnServer(t, ['start', '--port', '0', '--admin-port', '0', '--no-persist', '--read-timeout', '1', '--write-timeout', '1']);
    const create = (mock: unknown) => fetchWithTimeout(`${server.adminUrl}/mocks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(mock) });
    assert.equal((await create({ http: { matcher: { path: '/slow' }, response: { statusCode: 200, body: 'late', delayMs: 3000 } } })).status, 201);
    assert.equal((await create({ http: { matcher: { path: '/fast' }, response: { statusCode: 200, body: 'quick' } } })).status, 201);
    assert.equal((await create({ http: { matcher: { path: '/stream' }, sse: { events: [{ data: 'a' }, { data: 'b', delay: 1500 }] } } })).status, 201);

    assert.equal(await (await fetchWithTimeout(`${server.mockUrl}/fast`)).text(), 'quick');
    await assert.rejects(fetch(`${server.mockUrl}/slow`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.text()), (err: Error) => err.name !== 'TimeoutError');

    // The second event comes 1.5 s in, past the 1 s write timeout: streams are exempt.
    const stream = await fetch(`${server.mockUrl}/stream`, { signal: AbortSignal.timeout(10_000) });
    const body = await stream.text();
    assert.match(body, /data:a\n\n/);
    assert.match(body, /data:b\n\n/);

    const url = new URL(server.mockUrl);
    const socket = netConnect(Number(url.port), url.hostname);
    t.after(() => socket.destroy());
    await nextEvent(socket, 'connect');
    // The request line and one header, then nothing: the Go mockd's ReadTimeout covers the headers too.
    socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    // Node answers a request that is not complete within requestTimeout with 408 and closes (checked every second).
    await once(socket, 'close', { signal: AbortSignal.timeout(10_000) });
    assert.match(answer, /^HTTP\/1\.1 408/);
  });

});
