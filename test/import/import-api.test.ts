// POST /import as a write (issue 22): dry runs create nothing, prefix names ids, replace starts afresh, a file that
// does not parse gets 400 with its position, and a batch is created all or nothing.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../helpers/mockd.ts';
import { fixture, postImport } from './helpers.ts';
import { freePort } from '../helpers/go-compat.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

describe('POST /import', () => {
  test('dryRun=true validates and answers the mocks but creates nothing', async (t) => {
    const m = await startMockd(t);
    const r = await postImport(m, fixture('petstore-swagger-2.0.json'), 'dryRun=true&prefix=pet-');
    assert.equal(r.status, 200);
    assert.equal(r.body.dryRun, true);
    assert.equal(r.body.mocks.length, 9);
    assert.ok(r.body.mocks.every((x: any) => x.id.startsWith('pet-')));
    assert.equal((await m.api('/mocks')).body.total, 0);
  });

  test('prefix gives ids <prefix><operationId>; the same ids again are 409 duplicate_id and nothing is added', async (t) => {
    const m = await startMockd(t);
    const r = await postImport(m, fixture('petstore-swagger-2.0.json'), 'prefix=pet-');
    assert.equal(r.status, 201);
    assert.ok(r.body.mocks.some((x: any) => x.id === 'pet-getPetById'));
    const again = await postImport(m, fixture('petstore-swagger-2.0.json'), 'prefix=pet-');
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'duplicate_id');
    assert.equal((await m.api('/mocks')).body.total, 9);
  });

  test('replace=true deletes every existing mock first', async (t) => {
    const m = await startMockd(t);
    await m.createMock({ id: 'old', http: { matcher: { path: '/old' }, response: { statusCode: 200 } } });
    const r = await postImport(m, fixture('postman-collection.json'), 'replace=true');
    assert.equal(r.status, 201);
    const { body } = await m.api('/mocks');
    assert.equal(body.total, 4);
    assert.ok(!body.mocks.some((x: any) => x.id === 'old'));
  });

  test('a YAML file that does not parse gets 400 with the line, the column and the reason', async (t) => {
    const m = await startMockd(t);
    const r = await postImport(m, 'openapi: 3.0.0\ninfo:\n  title: x\n  version: [1\npaths: {}\n');
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'validation_error');
    assert.equal(r.body.field, 'body');
    assert.equal(typeof r.body.line, 'number');
    assert.equal(typeof r.body.column, 'number');
    assert.match(r.body.message, /at line \d+, column \d+: /);
  });

  test('a JSON file that does not parse gets 400 with the line and column of the error', async (t) => {
    const m = await startMockd(t);
    const r = await postImport(m, '{\n  "swagger": "2.0",\n  "paths": {,}\n}');
    assert.equal(r.status, 400);
    assert.equal(r.body.line, 3);
    assert.match(r.body.message, /line 3/);
  });

  test('an unknown format or undetectable file is 400 naming the field', async (t) => {
    const m = await startMockd(t);
    const bad = await postImport(m, '{}', 'format=raml');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'format');
    const unknown = await postImport(m, '{"hello":"world"}');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.message, /cannot tell the format/);
  });

  test('one invalid mock rejects the whole import with its position, and nothing is created', async (t) => {
    const m = await startMockd(t);
    const text = JSON.stringify({ mocks: [{ http: { matcher: { path: '/a' }, response: { statusCode: 200 } } }, { http: { matcher: { path: '/b' }, response: { statusCode: 999 } } }] });
    const r = await postImport(m, text);
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'mocks[1].http.response.statusCode');
    assert.equal((await m.api('/mocks')).body.total, 0);
  });

  test('a mock that fails at runtime rolls back the mocks the import created', async (t) => {
    const m = await startMockd(t);
    const taken = await m.api('/ports');
    const adminPort = taken.body.ports.find((p: any) => p.component === 'admin-api').port;
    const text = JSON.stringify({ mocks: [
      { id: 'first', http: { matcher: { path: '/a' }, response: { statusCode: 200 } } },
      { id: 'broker', mqtt: { port: adminPort, topics: [] } },
    ] });
    const r = await postImport(m, text);
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal((await m.api('/mocks')).body.total, 0);
  });

  test('a failed replace puts back the mocks it deleted, and a failed import undoes its merges', async (t) => {
    const m = await startMockd(t);
    const adminPort = (await m.api('/ports')).body.ports.find((p: any) => p.component === 'admin-api').port;
    const brokerPort = await freePort();
    await m.createMock({ id: 'kept', http: { matcher: { path: '/kept' }, response: { statusCode: 200, body: 'old' } } });
    await m.createMock({ id: 'sensors', mqtt: { port: brokerPort, topics: [{ topic: 'a' }] } });
    const failing = { id: 'broker', mqtt: { port: adminPort, topics: [] } };

    const merged = JSON.stringify({ mocks: [{ id: 'more', mqtt: { port: brokerPort, topics: [{ topic: 'b' }] } }, failing] });
    assert.equal((await postImport(m, merged)).status, 409);
    const sensors = (await m.api('/mocks/sensors')).body;
    assert.deepEqual(sensors.mqtt.topics.map((x: { topic: string }) => x.topic), ['a'], 'the merge was undone');

    const replacing = JSON.stringify({ mocks: [{ id: 'new', http: { matcher: { path: '/new' }, response: { statusCode: 200 } } }, failing] });
    assert.equal((await postImport(m, replacing, 'replace=true')).status, 409);
    const ids = (await m.api('/mocks')).body.mocks.map((x: { id: string }) => x.id).sort();
    assert.deepEqual(ids, ['kept', 'sensors']);
    assert.equal(await (await fetchWithTimeout(`${m.mockUrl}/kept`)).text(), 'old');
  });
});
