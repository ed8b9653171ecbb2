// Black-box: mutual TLS on the HTTPS port (`--mtls-ca`, `--mtls-client-auth`) with client certificates made by the
// same library mockd uses. `require` refuses a client without a certificate at the handshake; `request` lets it in
// but it matches no mtls-constrained mock; CN alice matches `mtls.cn: alice`, not bob; templates see the CN.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { startTlsMockd, trustingAgent, fetchTls, makeClientCa, wssOptions } from '../helpers/tls.ts';
import { nextEvent } from '../helpers/wait.ts';

describe('mutual TLS', () => {
  test('require: no certificate fails the handshake; alice matches mtls.cn alice (not bob) and the CN renders', async (t) => {
    const clients = await makeClientCa(t);
    const m = await startTlsMockd(t, { mtlsCa: clients.file, mtlsClientAuth: 'require' });
    await m.createMock({ http: { matcher: { path: '/who', mtls: { cn: 'alice' } }, response: { statusCode: 200, body: 'hello {{request.tls.clientCN}} ({{request.tls.clientO}})' } } });
    await m.createMock({ http: { matcher: { path: '/bob-only', mtls: { cn: 'bob' } }, response: { statusCode: 200, body: 'bob' } } });
    const alice = await clients.issue('alice', { organization: 'Acme' });

    const anonymous = trustingAgent(m.ca);
    t.after(() => anonymous.close());
    await assert.rejects(fetchTls(`${m.httpsUrl}/who`, anonymous).then((r) => r.text()));

    const agent = trustingAgent(m.ca, alice);
    t.after(() => agent.close());
    const who = await fetchTls(`${m.httpsUrl}/who`, agent);
    assert.equal(who.status, 200);
    assert.equal(await who.text(), 'hello alice (Acme)');
    const bobOnly = await fetchTls(`${m.httpsUrl}/bob-only`, agent);
    assert.equal(bobOnly.status, 404);
    const miss = (await bobOnly.json()) as any;
    assert.ok(miss.nearMisses.some((n: any) => /mtls\.cn: expected bob, got alice/.test(n.reason)), JSON.stringify(miss.nearMisses));

    // The journal records the TLS request with the client CN.
    const journal = await m.api('/requests?path=/who');
    assert.equal(journal.body.requests[0].tls, true);
    assert.equal(journal.body.requests[0].clientCN, 'alice');
  });

  test('request: a client without a certificate connects but matches no mtls mock; a certificate of another CA is not verified', async (t) => {
    const clients = await makeClientCa(t);
    const stranger = await makeClientCa(t);
    const m = await startTlsMockd(t, { mtlsCa: clients.file, mtlsClientAuth: 'request' });
    await m.createMock({ http: { matcher: { path: '/private', mtls: { cnPattern: '^a' } }, response: { statusCode: 200, body: 'private' } } });
    await m.createMock({ http: { matcher: { path: '/public' }, response: { statusCode: 200, body: 'public' } } });

    const anonymous = trustingAgent(m.ca);
    t.after(() => anonymous.close());
    assert.equal(await (await fetchTls(`${m.httpsUrl}/public`, anonymous)).text(), 'public');
    const denied = await fetchTls(`${m.httpsUrl}/private`, anonymous);
    assert.equal(denied.status, 404);
    assert.match(((await denied.json()) as any).nearMisses[0].reason, /no client certificate/);

    const forged = trustingAgent(m.ca, await stranger.issue('alice'));
    t.after(() => forged.close());
    const notVerified = await fetchTls(`${m.httpsUrl}/private`, forged);
    assert.equal(notVerified.status, 404);
    assert.match(((await notVerified.json()) as any).nearMisses[0].reason, /not signed by the mTLS CA/);

    const alice = trustingAgent(m.ca, await clients.issue('alice'));
    t.after(() => alice.close());
    assert.equal(await (await fetchTls(`${m.httpsUrl}/private`, alice)).text(), 'private');
  });

  test('WebSocket mtls: alice upgrades and her record shows CN and fingerprint; bob gets 403; templates see the CN', async (t) => {
    const clients = await makeClientCa(t);
    const m = await startTlsMockd(t, { mtlsCa: clients.file, mtlsClientAuth: 'require' });
    await m.createMock({ type: 'websocket', websocket: { path: '/secure', mtls: { cn: 'alice' }, defaultResponse: { type: 'text', value: 'hi {{request.tls.clientCN}}' } } });
    const alice = await clients.issue('alice');
    const bob = await clients.issue('bob');
    const url = `wss://127.0.0.1:${m.httpsPort}/secure`;

    const ws = new WebSocket(url, wssOptions(m.ca, alice));
    t.after(() => ws.terminate());
    await nextEvent(ws, 'open');
    ws.send('x');
    const [reply] = await nextEvent(ws, 'message');
    assert.equal(String(reply), 'hi alice');
    const [record] = (await m.api('/websocket/connections')).body.connections;
    assert.equal(record.tls.clientCN, 'alice');
    const { X509Certificate } = await import('node:crypto');
    assert.equal(record.tls.clientFingerprint, new X509Certificate(alice.cert).fingerprint256);

    const refused = new WebSocket(url, wssOptions(m.ca, bob));
    t.after(() => refused.terminate());
    refused.on('error', () => undefined);
    const [, res] = await nextEvent(refused, 'unexpected-response');
    assert.equal(res.statusCode, 403);
  });
});
