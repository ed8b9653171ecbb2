// Files from other tools (issue 22): WireMock mappings with __files, a Postman v2.1 collection, a HAR 1.2 recording, a
// Mockoon environment and a Go mockd config become mocks that answer as the file says; what cannot be carried over
// is named in warnings.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startMockd } from '../helpers/mockd.ts';
import { connect as connectWs, wsUrl } from '../protocols/websocket/helpers.ts';
import { CONTRACTS, fixture, postImport } from './helpers.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

function hasWarning(warnings: string[], pattern: RegExp): void {
  assert.ok(warnings.some((w) => pattern.test(w)), `no warning matches ${pattern}:\n${warnings.join('\n')}`);
}

describe('WireMock', () => {
  test('a WireMock root folder: mappings answer with their bodies, __files and priorities; unsupported parts are warned', async (t) => {
    const m = await startMockd(t, { imports: [{ path: join(CONTRACTS, 'wiremock') }] });
    const list = await fetchWithTimeout(`${m.mockUrl}/api/users?page=1`);
    assert.equal(list.status, 200);
    assert.deepEqual(await list.json(), { users: [{ id: 1, name: 'Ann' }], page: 1 });
    const user = await fetchWithTimeout(`${m.mockUrl}/api/users/42`);
    assert.deepEqual(await user.json(), { id: 42, name: 'Grace', email: 'grace@example.com' });
    // Priority 1 (WireMock's highest) beats the regex mapping for the same path.
    const missing = await fetchWithTimeout(`${m.mockUrl}/api/users/999`);
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), 'no such user');
    const created = await fetchWithTimeout(`${m.mockUrl}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"role":"admin","name":"x"}' });
    assert.equal(created.status, 201);
    const notAdmin = await fetchWithTimeout(`${m.mockUrl}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"role":"guest"}' });
    assert.equal(notAdmin.status, 404);
  });

  test('a mappings file posted to /import names scenarios, faults, transformers and regex headers in warnings', async (t) => {
    const m = await startMockd(t);
    const r = await postImport(m, fixture('wiremock/mappings/flaky.json'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.format, 'wiremock');
    for (const p of [/scenario recovery/, /fault/, /transformers/, /header X-Trace.*matches/]) hasWarning(r.body.warnings, p);
    const posted = await postImport(m, fixture('wiremock/mappings/users.json'), 'prefix=wm-');
    hasWarning(posted.body.warnings, /bodyFileName user.json/);
  });
});

describe('Postman v2.1', () => {
  test('each request answers its saved example; Prefer: example=<name> picks another; auth, scripts and example-less requests are warned', async (t) => {
    const m = await startMockd(t);
    const r = await postImport(m, fixture('postman-collection.json'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.format, 'postman');
    assert.equal(r.body.created, 4);
    const todos = await fetchWithTimeout(`${m.mockUrl}/todos`);
    assert.equal((await todos.json()).length, 2);
    const one = await fetchWithTimeout(`${m.mockUrl}/todos/1`);
    assert.deepEqual(await one.json(), { id: 1, title: 'Buy milk', done: false });
    const gone = await fetchWithTimeout(`${m.mockUrl}/todos/1`, { headers: { prefer: 'example=Not found' } });
    assert.equal(gone.status, 404);
    const created = await fetchWithTimeout(`${m.mockUrl}/todos`, { method: 'POST', body: '{"title":"New"}' });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), '/todos/3');
    hasWarning(r.body.warnings, /collection auth/);
    hasWarning(r.body.warnings, /Create todo: scripts/);
    hasWarning(r.body.warnings, /Delete todo: no saved example/);
  });
});

describe('HAR 1.2', () => {
  test('each recorded request is answered with its recorded response; repeats and binary bodies are warned', async (t) => {
    const m = await startMockd(t);
    const r = await postImport(m, fixture('recording.har'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.format, 'har');
    assert.equal(r.body.created, 3);
    const weather = await fetchWithTimeout(`${m.mockUrl}/v1/weather?city=Oslo`);
    assert.equal(weather.status, 200);
    assert.equal(weather.headers.get('cache-control'), 'max-age=60');
    assert.equal(weather.headers.get('set-cookie'), null);
    assert.deepEqual(await weather.json(), { city: 'Oslo', tempC: -3, sky: 'snow' });
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/v1/weather?city=Bergen`)).status, 404, 'the query string is part of the match');
    const alert = await fetchWithTimeout(`${m.mockUrl}/v1/alerts`, { method: 'POST', body: '{}' });
    assert.equal(alert.status, 202);
    assert.equal(await alert.text(), 'queued!\n');
    hasWarning(r.body.warnings, /repeats an earlier request/);
    hasWarning(r.body.warnings, /binary image\/png body/);
  });
});

describe('Mockoon', () => {
  test('routes answer their default response under the prefix, other responses by Prefer, ws routes stream; rules, CRUD and helpers are warned', async (t) => {
    const m = await startMockd(t);
    const r = await postImport(m, fixture('mockoon-environment.json'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.format, 'mockoon');
    const products = await fetchWithTimeout(`${m.mockUrl}/shop/products`);
    assert.equal(products.headers.get('x-powered-by'), 'Mockoon');
    assert.deepEqual(await products.json(), [{ id: 1, name: 'Lamp', price: 25.5 }]);
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/shop/products/5`)).status, 200);
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/shop/products/5`, { headers: { prefer: 'example=missing' } })).status, 404);
    const ws = await connectWs(t, wsUrl(m.mockUrl, '/shop/ticker'));
    assert.deepEqual(JSON.parse((await ws.next()).text), { symbol: 'LAMP', price: 25.5 });
    assert.deepEqual(JSON.parse((await ws.next()).text), { symbol: 'LAMP', price: 25.5 });
    for (const p of [/response rules/, /CRUD/, /data buckets/, /template helpers/]) hasWarning(r.body.warnings, p);
  });
});

describe('Go mockd config', () => {
  test('loads HTTP and WebSocket mocks with their ids and names the unsupported protocol and section', async (t) => {
    const m = await startMockd(t);
    const r = await postImport(m, fixture('go-mockd.yaml'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.format, 'mockd');
    assert.deepEqual(r.body.mocks.map((x: any) => x.id), ['hello', 'get-user', 'chat']);
    assert.deepEqual(await (await fetchWithTimeout(`${m.mockUrl}/api/users/7`)).json(), { id: '7', name: 'Alice' });
    hasWarning(r.body.warnings, /type "graphql" is not supported/);
    hasWarning(r.body.warnings, /serverConfig/);
  });
});
