// Black-box: MQTT over TLS (mqtt.js `mqtts` trusting the generated CA, plain and TLS ports at once) and gRPC with TLS
// (grpc-js `credentials.createSsl`): connections listed with their `tls` record, counted, closed from the admin API
// and ended with the protocol's goodbye on a mock change, as without TLS (README "TLS").

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { startMockd } from '../helpers/mockd.ts';
import { handshakeFingerprint, makeClientCa, startTlsMockd, writePem } from '../helpers/tls.ts';
import { closed, connect } from '../protocols/mqtt/helpers.ts';
import { HELLO_PROTO, nextMessage, statusOf } from '../protocols/grpc/helpers.ts';
import { generateCa, generateServerCert } from '../../src/tls/generate.ts';
import { deferred, nextEvent, within } from '../helpers/wait.ts';

describe('MQTT over TLS', () => {
  test('a broker on a plain port and a TLS port at once; TLS clients listed with tls, closed by admin and on mock change', async (t) => {
    const m = await startTlsMockd(t);
    const mock = await m.createMock({ type: 'mqtt', mqtt: { port: 0, tlsPort: 0, tls: { enabled: true }, topics: [{ topic: 'a/b' }] } });
    const ports = (await m.api('/ports')).body.ports.filter((p: any) => p.mockId === mock.id);
    assert.equal(ports.length, 2);
    const plainPort = ports.find((p: any) => !p.tls).port;
    const tlsPort = ports.find((p: any) => p.tls).port;
    assert.equal((await m.api('/mqtt-connections/stats')).body.tlsEnabled, true);

    const secure = await connect(t, tlsPort, { protocol: 'mqtts', ca: m.ca, servername: 'localhost', clientId: 'secure-1' });
    const plain = await connect(t, plainPort, { clientId: 'plain-1' });
    const list = await m.api('/mqtt-connections');
    const byId = Object.fromEntries(list.body.connections.map((c: any) => [c.id, c]));
    assert.equal(byId['secure-1'].tls.protocol, 'TLSv1.3');
    assert.match(byId['secure-1'].tls.cipher, /^TLS_/);
    assert.equal(byId['plain-1'].tls, undefined);
    assert.equal(list.body.stats.tlsConnections, 1);

    // Plain and TLS clients share the broker: a publish over TLS reaches the plain subscriber.
    await plain.subscribeAsync('a/b');
    const got = nextEvent(plain, 'message');
    await secure.publishAsync('a/b', 'over tls');
    assert.equal(String((await got)[1]), 'over tls');
    const journal = await m.api('/requests?protocol=mqtt&connectionId=secure-1');
    assert.equal(journal.body.requests[0]?.tls, true);

    assert.equal((await m.api('/mqtt-connections/secure-1', { method: 'DELETE' })).status, 200);
    await closed(secure);

    const again = await connect(t, tlsPort, { protocol: 'mqtts', ca: m.ca, servername: 'localhost', clientId: 'secure-2' });
    assert.equal((await m.api(`/mocks/${mock.id}`, { method: 'PATCH', body: { name: 'changed' } })).status, 200);
    await closed(again);
    await closed(plain);
    // The restarted broker keeps both ports, the TLS one included.
    const after = (await m.api('/ports')).body.ports.filter((p: any) => p.mockId === mock.id).map((p: any) => p.port).sort();
    assert.deepEqual(after, [plainPort, tlsPort].sort());
    await connect(t, tlsPort, { protocol: 'mqtts', ca: m.ca, servername: 'localhost', clientId: 'secure-3' });
  });

  test('TLS on the mock port alone; a client without the CA is refused; a missing file is a 400 naming the field', async (t) => {
    const m = await startTlsMockd(t);
    const mock = await m.createMock({ type: 'mqtt', mqtt: { port: 0, tls: { enabled: true } } });
    const [listener] = (await m.api('/ports')).body.ports.filter((p: any) => p.mockId === mock.id);
    assert.equal(listener.tls, true);
    const client = await connect(t, listener.port, { protocol: 'mqtts', ca: m.ca, servername: 'localhost', clientId: 'only-tls' });
    assert.equal(client.connected, true);
    await assert.rejects(connect(t, listener.port, { protocol: 'mqtts', servername: 'localhost', clientId: 'untrusting' }));

    const bad = await m.api('/mocks', { method: 'POST', body: { type: 'mqtt', mqtt: { port: 0, tls: { enabled: true, certFile: '/nonexistent/cert.pem', keyFile: '/nonexistent/key.pem' } } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'mqtt.tls.certFile');
    assert.match(bad.body.message, /\/nonexistent\/cert\.pem: file not found/);
  });

  test('requireClientCert with the mock\'s own files: a client certificate from caFile is needed', async (t) => {
    const m = await startMockd(t);
    const clients = await makeClientCa(t);
    const serverCa = await generateCa('broker CA', 2);
    const server = await generateServerCert(serverCa, '127.0.0.1');
    const certFile = writePem(clients.dir, 'broker.pem', server.cert);
    const keyFile = writePem(clients.dir, 'broker-key.pem', server.key);
    const mock = await m.createMock({ type: 'mqtt', mqtt: { port: 0, tls: { enabled: true, certFile, keyFile, caFile: clients.file, requireClientCert: true } } });
    const [listener] = (await m.api('/ports')).body.ports.filter((p: any) => p.mockId === mock.id);
    await assert.rejects(connect(t, listener.port, { protocol: 'mqtts', ca: serverCa.cert, servername: 'localhost', clientId: 'no-cert' }));
    const device = await clients.issue('device-7');
    await connect(t, listener.port, { protocol: 'mqtts', ca: serverCa.cert, cert: device.cert, key: device.key, servername: 'localhost', clientId: 'device-7' });
    const [record] = (await m.api('/mqtt-connections')).body.connections;
    assert.equal(record.tls.clientCN, 'device-7');
    // A key that is not the certificate's is a 400 on the keyFile.
    const wrong = await m.api('/mocks', { method: 'POST', body: { type: 'mqtt', mqtt: { port: 0, tls: { enabled: true, certFile, keyFile: join(clients.dir, 'client-ca.pem') } } } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.field, 'mqtt.tls.keyFile');
  });
});

describe('certificate reload on MQTT and gRPC listeners', () => {
  test('brokers and servers on mockd\'s certificate take the new one for new handshakes; live MQTT clients stay', async (t) => {
    const m = await startTlsMockd(t);
    const broker = await m.createMock({ type: 'mqtt', mqtt: { port: 0, tls: { enabled: true } } });
    const server = await m.createMock({ type: 'grpc', grpc: { port: 0, protoFile: HELLO_PROTO, tls: { enabled: true }, services: {} } });
    const ports = (await m.api('/ports')).body.ports;
    const mqttPort = ports.find((p: any) => p.mockId === broker.id).port;
    const grpcPort = ports.find((p: any) => p.mockId === server.id).port;
    const client = await connect(t, mqttPort, { protocol: 'mqtts', ca: m.ca, servername: 'localhost', clientId: 'stays' });
    const before = [await handshakeFingerprint(mqttPort, m.ca), await handshakeFingerprint(grpcPort, m.ca, { ALPNProtocols: ['h2'] })];
    assert.equal(before[0], before[1]);
    const reload = await m.api('/tls/reload', { method: 'POST' });
    assert.equal(reload.status, 200);
    const after = reload.body.certificate.fingerprint256;
    assert.notEqual(after, before[0]);
    assert.equal(await handshakeFingerprint(mqttPort, m.ca), after);
    assert.equal(await handshakeFingerprint(grpcPort, m.ca, { ALPNProtocols: ['h2'] }), after);
    assert.equal(client.connected, true);
    await client.publishAsync('still/here', 'yes');
    assert.deepEqual((await m.api('/mqtt-connections')).body.connections.map((c: any) => c.id), ['stays']);
  });
});

describe('gRPC with TLS', () => {
  const definition = loadSync(HELLO_PROTO, { keepCase: true, longs: String, defaults: true });
  const Greeter = (grpc.loadPackageDefinition(definition) as any).helloworld.Greeter;
  const greeterMock = (message: string) => ({
    type: 'grpc',
    grpc: {
      port: 0,
      protoFile: HELLO_PROTO,
      tls: { enabled: true },
      services: { 'helloworld.Greeter': { methods: { SayHello: { response: { message } }, StreamHellos: { streamDelay: '30s', responses: [{ message }, { message: 'later' }] } } } },
    },
  });

  test('createSsl clients call unary and streaming RPCs; streams listed with tls, cancelled by admin and on mock change', async (t) => {
    const m = await startTlsMockd(t);
    const mock = await m.createMock(greeterMock('hi'));
    const [listener] = (await m.api('/ports')).body.ports.filter((p: any) => p.mockId === mock.id);
    assert.equal(listener.tls, true);
    const client = new Greeter(`localhost:${listener.port}`, grpc.credentials.createSsl(Buffer.from(m.ca)));
    t.after(() => client.close());
    const reply = await new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply')), 5000);
      client.SayHello({ name: 'x' }, (err: Error | null, res: any) => (clearTimeout(timer), err ? reject(err) : resolve(res)));
    });
    assert.equal(reply.message, 'hi');
    const calls = await m.api('/requests?protocol=grpc');
    assert.equal(calls.body.requests[0].tls, true);
    // A plaintext client cannot talk to it.
    const plain = new Greeter(`127.0.0.1:${listener.port}`, grpc.credentials.createInsecure());
    t.after(() => plain.close());
    const answered = deferred<any>();
    plain.SayHello({ name: 'x' }, { deadline: Date.now() + 3000 }, (err: any) => answered.resolve(err));
    const refused = await within(answered.promise, 'the plaintext call to end');
    assert.ok(refused && refused.code !== grpc.status.OK);

    const call = client.StreamHellos({ name: 'x' });
    call.on('error', () => undefined);
    t.after(() => call.cancel());
    await nextMessage(call);
    const list = await m.api('/grpc/connections');
    assert.equal(list.body.streams.length, 1);
    assert.equal(list.body.streams[0].tls.protocol, 'TLSv1.3');
    assert.equal(list.body.stats.tlsConnections, 1);
    const ended = statusOf(call);
    assert.equal((await m.api(`/grpc/connections/${list.body.streams[0].id}`, { method: 'DELETE' })).status, 200);
    assert.equal((await ended).code, grpc.status.UNAVAILABLE);

    const second = client.StreamHellos({ name: 'y' });
    second.on('error', () => undefined);
    t.after(() => second.cancel());
    await nextMessage(second);
    const changed = statusOf(second);
    await m.api(`/mocks/${mock.id}`, { method: 'PUT', body: greeterMock('changed') });
    const status = await changed;
    assert.equal(status.code, grpc.status.UNAVAILABLE);
    assert.equal(status.details, 'mock configuration updated');
  });
});
