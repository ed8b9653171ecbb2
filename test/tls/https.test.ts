// Black-box: the HTTPS port (`--tls-auto --https-port 0`) serves the same HTTP, SSE and WebSocket mocks over TLS to
// real clients that trust the CA mockd generated; each TLS connection is listed with its `tls` record, closed from the
// admin API and disconnected on a mock change exactly as without TLS (README "TLS").

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as http2Connect } from 'node:http2';
import { WebSocket } from 'ws';
import { EventSource } from 'eventsource';
import { fetch as undiciFetch } from 'undici';
import { startTlsMockd, trustingAgent, fetchTls, wssOptions } from '../helpers/tls.ts';
import { X509Certificate } from 'node:crypto';
import { nextEvent, fetchWithTimeout } from '../helpers/wait.ts';

describe('HTTPS port', () => {
  test('serves HTTP mocks over TLS 1.3 with the generated certificate, HTTP/1.1 and HTTP/2 by ALPN; /ports lists it', async (t) => {
    const m = await startTlsMockd(t);
    await m.createMock({ http: { matcher: { path: '/hello' }, response: { statusCode: 200, body: 'hi over {{request.tls.protocol}}' } } });
    const agent = trustingAgent(m.ca);
    t.after(() => agent.close());
    const res = await fetchTls(`${m.httpsUrl}/hello`, agent);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'hi over TLSv1.3');
    // The plain port serves the same mock, without TLS facts.
    assert.equal(await (await fetchWithTimeout(`${m.mockUrl}/hello`)).text(), 'hi over ');
    // A client that does not trust the CA is refused by its own TLS check.
    await assert.rejects(undiciFetch(`${m.httpsUrl}/hello`, { signal: AbortSignal.timeout(15_000) }));

    // HTTP/2 through ALPN (node:http2 client).
    const session = http2Connect(m.httpsUrl, wssOptions(m.ca));
    t.after(() => session.close());
    session.on('error', () => undefined);
    const req = session.request({ ':path': '/hello' });
    const [headers] = await nextEvent(req, 'response');
    assert.equal(headers[':status'], 200);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    await nextEvent(req, 'end');
    assert.equal(body, 'hi over TLSv1.3');
    assert.equal(session.alpnProtocol, 'h2');

    const ports = await m.api('/ports');
    const https = ports.body.ports.find((p: any) => p.port === m.httpsPort);
    assert.deepEqual(https, { port: m.httpsPort, protocol: 'https', component: 'mock-server', status: 'listening', tls: true });
    // The journal marks the TLS requests.
    const journal = await m.api('/requests?path=/hello');
    assert.deepEqual(journal.body.requests.map((e: any) => e.tls === true), [true, false, true]);
  });

  test('WebSocket over wss: listed with its tls record, counted, closed by the admin API (1000) and on mock change (1012)', async (t) => {
    const m = await startTlsMockd(t);
    const mock = await m.createMock({ type: 'websocket', websocket: { path: '/ws', echoMode: true } });
    const open = async () => {
      const ws = new WebSocket(`wss://127.0.0.1:${m.httpsPort}/ws`, wssOptions(m.ca));
      t.after(() => ws.terminate());
      await nextEvent(ws, 'open');
      return ws;
    };
    const ws = await open();
    ws.send('ping');
    const [echo] = await nextEvent(ws, 'message');
    assert.equal(String(echo), 'ping');

    const list = await m.api('/websocket/connections');
    assert.equal(list.body.connections.length, 1);
    const record = list.body.connections[0];
    assert.equal(record.tls.protocol, 'TLSv1.3');
    assert.match(record.tls.cipher, /^TLS_/);
    assert.equal(record.tls.clientCN, undefined);
    assert.equal(list.body.stats.tlsConnections, 1);
    const journal = await m.api(`/requests?protocol=websocket&connectionId=${record.id}`);
    assert.ok(journal.body.requests.length >= 1);
    assert.ok(journal.body.requests.every((e: any) => e.tls === true));

    const closed = nextEvent(ws, 'close');
    assert.equal((await m.api(`/websocket/connections/${record.id}`, { method: 'DELETE' })).status, 200);
    assert.equal((await closed)[0], 1000);

    const second = await open();
    const changed = nextEvent(second, 'close');
    assert.equal((await m.api(`/mocks/${mock.id}`, { method: 'PATCH', body: { name: 'renamed' } })).status, 200);
    assert.equal((await changed)[0], 1012);
    assert.equal((await m.api('/websocket/stats')).body.tlsConnections, 0);
  });

  test('SSE over HTTPS with eventsource: listed with tls, ended by the admin API and on mock change, then matched afresh', async (t) => {
    const m = await startTlsMockd(t);
    const mock = await m.createMock({ http: { matcher: { path: '/events' }, sse: { events: [{ type: 'tick', data: 'one' }, { type: 'tick', data: 'late', delay: 60_000 }] } } });
    const agent = trustingAgent(m.ca);
    t.after(() => agent.close());
    const es = new EventSource(`${m.httpsUrl}/events`, { fetch: (url, init) => undiciFetch(url, { ...(init as object), dispatcher: agent }) as never });
    t.after(() => es.close());
    const [first] = await nextEvent(es, 'tick');
    assert.equal(first.data, 'one');

    const list = await m.api('/sse/connections');
    assert.equal(list.body.connections.length, 1);
    const record = list.body.connections[0];
    assert.equal(record.tls.protocol, 'TLSv1.3');
    assert.equal(list.body.stats.tlsConnections, 1);

    // Admin close: the stream ends, eventsource reconnects after `retry` and gets the event again.
    assert.equal((await m.api(`/sse/connections/${record.id}`, { method: 'DELETE' })).status, 200);
    const [again] = await nextEvent(es, 'tick', 'the reconnected stream\'s event', 10_000);
    assert.equal(again.data, 'one');

    // Mock change: the stream ends and the reconnect meets the new definition.
    await m.api(`/mocks/${mock.id}`, { method: 'PUT', body: { http: { matcher: { path: '/events' }, sse: { events: [{ type: 'tick', data: 'two' }, { type: 'tick', data: 'late', delay: 60_000 }] } } } });
    const [changed] = await nextEvent(es, 'tick', 'the new definition\'s event', 10_000);
    assert.equal(changed.data, 'two');
    const after = await m.api('/sse/connections');
    assert.ok(after.body.connections.every((c: any) => c.tls?.protocol === 'TLSv1.3'));
  });

  test('GET /tls/ca.pem serves the CA the server certificate chains to; GET /tls describes it', async (t) => {
    const m = await startTlsMockd(t);
    const info = await m.api('/tls');
    assert.equal(info.body.enabled, true);
    assert.equal(info.body.httpsPort, m.httpsPort);
    assert.equal(info.body.generated, true);
    assert.match(info.body.certificate.subjectAltName, /DNS:localhost/);
    assert.match(info.body.certificate.subjectAltName, /IP Address:127\.0\.0\.1/);
    assert.match(m.ca, /^-----BEGIN CERTIFICATE-----/);
    assert.equal(info.body.certificate.issuer, new X509Certificate(m.ca).subject);
  });
});
