// GET /export (issue 22): mockd YAML that imports back to the same mocks, OpenAPI 3.1 from HTTP mocks and
// AsyncAPI 3.0 from MQTT and WebSocket mocks, each importable again.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startMockd } from '../helpers/mockd.ts';
import { CONTRACTS, fixture, postImport } from './helpers.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

const MIXED = [
  { id: 'hello', name: 'hello', http: { matcher: { method: 'GET', path: '/hello/{who}' }, response: { statusCode: 200, body: { hi: '{{request.pathParam.who}}' } },
    responses: [{ name: 'gone', statusCode: 410, body: 'bye' }], validation: { pathParams: { type: 'object', properties: { who: { type: 'string', minLength: 2 } } } } } },
  { id: 'ticks', http: { matcher: { path: '/ticks' }, sse: { events: [{ type: 'tick', data: { n: 1 } }] } } },
  { id: 'chat', enabled: false, websocket: { path: '/chat', defaultResponse: { type: 'json', value: { ok: true } }, schema: { type: 'object' } } },
  { id: 'sensors', description: 'temperature', mqtt: { port: 0, topics: [{ topic: 'sensors/temp', qos: 1, messages: [{ payload: '{"t":21}', repeat: true, interval: '1s' }] }, { topic: 'cmd/+', schema: { type: 'object' } }] } },
  { id: 'greeter', grpc: { port: 0, protoContent: 'syntax = "proto3"; package g; service G { rpc Hi (M) returns (M); } message M { string s = 1; }', services: { 'g.G': { methods: { Hi: { response: { s: 'x' } } } } } } },
];

function specs(mocks: any[]) {
  return mocks.map(({ createdAt: _c, updatedAt: _u, ...m }) => {
    if (m.mqtt) m.mqtt = { ...m.mqtt, port: 'any' };
    if (m.grpc) m.grpc = { ...m.grpc, port: 'any' };
    return m;
  });
}

describe('GET /export?format=mockd', () => {
  test('export then import gives the same mocks, and exporting again gives the same text', async (t) => {
    const a = await startMockd(t);
    const created = await a.api('/mocks/bulk', { method: 'POST', body: MIXED });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const exported = await a.api('/export?format=mockd');
    assert.equal(exported.status, 200);
    assert.match(exported.headers.get('content-type')!, /yaml/);
    assert.equal(parseYaml(exported.body).mocks.length, 5);

    const b = await startMockd(t);
    const r = await postImport(b, exported.body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.format, 'mockd');
    assert.deepEqual(specs((await b.api('/mocks')).body.mocks), specs((await a.api('/mocks')).body.mocks));
    assert.equal((await b.api('/export?format=mockd')).body, exported.body);
  });
});

describe('GET /export?format=openapi', () => {
  test('describes the HTTP mocks as OpenAPI 3.1 that imports back to mocks answering the same bodies', async (t) => {
    const a = await startMockd(t, { imports: [{ path: join(CONTRACTS, 'petstore-3.0.yaml') }] });
    const doc = (await a.api('/export?format=openapi', { headers: { accept: 'application/json' } })).body;
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/pets', '/pets/{petId}']);
    assert.deepEqual(Object.keys(doc.paths['/pets/{petId}'].get.responses['200'].content['application/json'].examples).sort(), ['cat', 'dog']);

    const b = await startMockd(t);
    const r = await postImport(b, JSON.stringify(doc));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    for (const [path, prefer] of [['/pets/1', ''], ['/pets/1', 'example=dog'], ['/pets', '']]) {
      const headers = prefer ? { prefer } : undefined;
      const [x, y] = await Promise.all([fetchWithTimeout(a.mockUrl + path, { headers }), fetchWithTimeout(b.mockUrl + path, { headers })]);
      assert.equal(y.status, x.status);
      assert.deepEqual(await y.json(), await x.json(), `${path} ${prefer}`);
    }
  });
});

describe('GET /export?format=asyncapi', () => {
  test('describes MQTT and WebSocket mocks as AsyncAPI 3.0 that imports back to the same topics', async (t) => {
    const a = await startMockd(t);
    await postImport(a, fixture('streetlights-2.6.yaml'));
    await a.createMock({ id: 'feed', websocket: { path: '/feed', scenario: { steps: [{ type: 'send', message: { type: 'json', value: { n: 1 } } }] } } });
    const doc = (await a.api('/export?format=asyncapi&as=json')).body;
    assert.equal(doc.asyncapi, '3.0.0');
    const sends = Object.values<any>(doc.operations).filter((o) => o.action === 'send');
    assert.ok(sends.some((o) => o['x-mockd-interval'] === '100ms'));
    assert.ok(Object.values<any>(doc.servers).some((s) => s.protocol === 'ws'));

    const b = await startMockd(t);
    const r = await postImport(b, JSON.stringify(doc));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const mqtt = r.body.mocks.find((x: any) => x.type === 'mqtt');
    const original = (await a.api('/mocks')).body.mocks.find((x: any) => x.type === 'mqtt');
    assert.deepEqual(mqtt.mqtt.topics.map((x: any) => x.topic).sort(), original.mqtt.topics.map((x: any) => x.topic).sort());
    assert.ok(r.body.mocks.some((x: any) => x.type === 'websocket' && x.websocket.path === '/feed'));
  });
});
