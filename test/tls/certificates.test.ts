// Black-box: where certificates come from and how they change (README "TLS"): `--tls-cert`/`--tls-key` files with
// clear errors for bad ones, `--tls-auto` kept in the data dir and reused, `mockd tls ca`, the startup line, and a
// reload (`POST /tls/reload`, SIGHUP) that keeps live connections while new handshakes see the new certificate.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { generateCa, generateServerCert } from '../../src/tls/generate.ts';
import { eventually, runCli, spawnMockd, startMockd, tempDir } from '../helpers/mockd.ts';
import { fetchTls, fingerprintOf, handshakeFingerprint, startTlsMockd, trustingAgent, writePem, wssOptions } from '../helpers/tls.ts';
import { nextEvent, within } from '../helpers/wait.ts';

async function serverFiles(t: Parameters<typeof tempDir>[0]) {
  const dir = tempDir(t, 'mockd-certs-');
  const ca = await generateCa('test CA', 2);
  const server = await generateServerCert(ca, '127.0.0.1');
  return { dir, ca, server, cert: writePem(dir, 'server.pem', server.cert), key: writePem(dir, 'server-key.pem', server.key) };
}

describe('certificates', () => {
  test('POST /tls/reload: a live WSS client stays connected while a new handshake sees the new certificate', async (t) => {
    const files = await serverFiles(t);
    const m = await startMockd(t, { tlsCert: files.cert, tlsKey: files.key, httpsPort: 0 });
    await m.createMock({ type: 'websocket', websocket: { path: '/live', echoMode: true } });
    const ws = new WebSocket(`wss://127.0.0.1:${m.httpsPort}/live`, wssOptions(files.ca.cert));
    t.after(() => ws.terminate());
    await nextEvent(ws, 'open');
    const before = await handshakeFingerprint(m.httpsPort!, files.ca.cert);
    assert.equal(before, fingerprintOf(files.server.cert));
    // Without a generated CA there is nothing to serve at /tls/ca.pem.
    assert.equal((await m.api('/tls/ca.pem')).status, 404);

    const next = await generateServerCert(files.ca, '127.0.0.1');
    writeFileSync(files.cert, next.cert);
    writeFileSync(files.key, next.key);
    const reload = await m.api('/tls/reload', { method: 'POST' });
    assert.equal(reload.status, 200);
    assert.equal(reload.body.certificate.fingerprint256, fingerprintOf(next.cert));
    assert.equal(await handshakeFingerprint(m.httpsPort!, files.ca.cert), fingerprintOf(next.cert));

    // The connection made before the reload still works.
    ws.send('still here');
    const [echo] = await nextEvent(ws, 'message');
    assert.equal(String(echo), 'still here');
    assert.equal((await m.api('/websocket/connections')).body.connections.length, 1);

    // A bad file on reload is a 400 naming it, and the running certificate stays.
    writeFileSync(files.key, 'not a key');
    const bad = await m.api('/tls/reload', { method: 'POST' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /server-key\.pem/);
    assert.equal(await handshakeFingerprint(m.httpsPort!, files.ca.cert), fingerprintOf(next.cert));
  });

  test('--tls-auto keeps the CA and certificate in the data dir and reuses them on restart; reload issues a new leaf', async (t) => {
    const dataDir = tempDir(t);
    const first = await startTlsMockd(t, { persist: true, dataDir });
    assert.ok(existsSync(join(dataDir, 'tls', 'ca.pem')));
    assert.equal(readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8'), first.ca);
    const leaf = await handshakeFingerprint(first.httpsPort!, first.ca);
    await first.close();

    const second = await startTlsMockd(t, { persist: true, dataDir });
    assert.equal(second.ca, first.ca);
    assert.equal(await handshakeFingerprint(second.httpsPort!, second.ca), leaf);
    assert.equal((await second.api('/tls/reload', { method: 'POST' })).status, 200);
    const rotated = await handshakeFingerprint(second.httpsPort!, second.ca);
    assert.notEqual(rotated, leaf);
  });

  test('--no-persist keeps generated certificates in memory: nothing is written', async (t) => {
    const dataDir = tempDir(t);
    const m = await startTlsMockd(t, { persist: false, dataDir });
    assert.match(m.ca, /BEGIN CERTIFICATE/);
    assert.equal(existsSync(join(dataDir, 'tls')), false);
  });

  test('--admin-tls serves the admin API over HTTPS with the same certificate; a reload swaps it too', async (t) => {
    const m = await startMockd(t, { tlsAuto: true, adminTls: true });
    assert.match(m.adminUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(m.adminUrl).port);
    // The CA is in the data the workers were given; fetch it over TLS by trusting the certificate the port presents.
    const ca = m.coordinator.tls!.caPem!;
    const agent = trustingAgent(ca);
    t.after(() => agent.close());
    const health = await fetchTls(`${m.adminUrl}/health`, agent);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as any).status, 'ok');
    assert.equal(await (await fetchTls(`${m.adminUrl}/tls/ca.pem`, agent)).text(), ca);
    const before = await handshakeFingerprint(port, ca);
    assert.equal((await fetchTls(`${m.adminUrl}/tls/reload`, agent, { method: 'POST' })).status, 200);
    assert.notEqual(await handshakeFingerprint(port, ca), before);
  });

  test('bad files exit 1 with an error naming the file: missing, not PEM, key of another certificate', async (t) => {
    const files = await serverFiles(t);
    const other = await generateServerCert(files.ca, 'localhost');
    const wrongKey = writePem(files.dir, 'other-key.pem', other.key);
    const notPem = writePem(files.dir, 'notes.txt', 'hello');
    const cases: [string[], RegExp][] = [
      [['--tls-cert', join(files.dir, 'missing.pem'), '--tls-key', files.key], /missing\.pem: file not found/],
      [['--tls-cert', notPem, '--tls-key', files.key], /notes\.txt: not a PEM file/],
      [['--tls-cert', files.cert, '--tls-key', wrongKey], /other-key\.pem: the private key does not match the certificate in .*server\.pem/],
      [['--https-port', '0'], /--https-port needs a certificate/],
    ];
    for (const [flags, message] of cases) {
      const r = await runCli(['start', '--port', '0', '--admin-port', '0', '--no-persist', ...flags]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, message);
    }
  });

  test('startup prints the TLS line; `mockd tls ca` prints the CA; SIGHUP reloads', async (t) => {
    const p = await spawnMockd(t, ['--no-persist', '--tls-auto', '--https-port', '0']);
    const TLS_LINE = /^Mock server \(TLS\): https:\/\/127\.0\.0\.1:(\d+)$/m;
    // The third line may arrive in a later chunk than the two the helper waits for.
    while (!TLS_LINE.test(p.stdout())) await nextEvent(p.child.stdout!, 'data', 'the TLS startup line');
    const line = TLS_LINE.exec(p.stdout());
    assert.equal(p.stdout().split('\n').filter(Boolean).length, 3);
    assert.ok(line, p.stdout());
    const port = Number(line![1]);
    const ca = await runCli(['tls', 'ca', '--admin-url', p.adminUrl]);
    assert.equal(ca.code, 0, ca.stderr);
    assert.match(ca.stdout, /^-----BEGIN CERTIFICATE-----/);
    const before = await handshakeFingerprint(port, ca.stdout);

    p.child.kill('SIGHUP');
    while (!p.stderr().includes('SIGHUP: TLS certificates reloaded')) await nextEvent(p.child.stderr!, 'data', 'the reload log line');
    assert.notEqual(await handshakeFingerprint(port, ca.stdout), before);
    assert.equal(await within(p.stop('SIGTERM'), 'mockd to stop', 10_000), 0);
  });
});

describe('worker restart', () => {
  test('a restarted http worker serves the HTTPS port again, on the same port, with the reloaded certificate', async (t) => {
    const m = await startTlsMockd(t);
    await m.createMock({ http: { matcher: { path: '/alive' }, response: { statusCode: 200, body: 'yes' } } });
    const reloaded = (await m.api('/tls/reload', { method: 'POST' })).body.certificate.fingerprint256;
    await m.coordinator.pool('http').members[0]!.terminate();
    const agent = trustingAgent(m.ca);
    t.after(() => agent.close());
    const body = await eventually(() => fetchTls(`${m.httpsUrl}/alive`, agent).then((r) => r.text(), () => 'down'), (v) => v === 'yes', 5000);
    assert.equal(body, 'yes');
    assert.equal(await handshakeFingerprint(m.httpsPort!, m.ca), reloaded);
  });
});
