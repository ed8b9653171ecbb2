// OpenAPI 3.0 and Swagger 2.0 imports (issue 22): every operation answers with a body valid against its schema,
// Prefer picks documented responses, validation rejects bad requests with a JSON pointer, generation is seeded.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { writeFileSync } from 'node:fs';
import { startMockd, tempDir } from '../helpers/mockd.ts';
import { CONTRACTS, createSchemaValidator, fixture, postImport } from './helpers.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

const check = createSchemaValidator();

/** Answers every operation of a dereferenced document on the mock port and checks status and body. */
async function callEveryOperation(mockUrl: string, doc: any, swagger2: boolean) {
  let checked = 0;
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const codes = Object.keys(op.responses).filter((c) => /^\d+$/.test(c)).map(Number);
      const expected = codes.filter((c) => c >= 200 && c < 300).sort()[0] ?? codes[0]!;
      const url = mockUrl + path.replace(/\{[^}]+\}/g, '1');
      const res = await fetchWithTimeout(url, { method: method.toUpperCase(), headers: { 'content-type': 'application/json' }, body: ['post', 'put'].includes(method) ? '{}' : undefined });
      assert.equal(res.status, expected, `${method.toUpperCase()} ${path}`);
      const text = await res.text();
      const documented = op.responses[String(expected)];
      const schema = swagger2 ? documented.schema : documented.content?.['application/json']?.schema;
      if (schema) {
        const problem = check(schema, JSON.parse(text));
        assert.equal(problem, undefined, `${method.toUpperCase()} ${path}: ${problem} in ${text}`);
        checked++;
      }
    }
  }
  return checked;
}

describe('when a Swagger 2.0 petstore is posted to /import', () => {
  test('creates one mock per operation, names what is not carried over, and answers each with a schema-valid body', async (t) => {
    const m = await startMockd(t);
    const r = await postImport(m, fixture('petstore-swagger-2.0.json'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.format, 'openapi');
    assert.equal(r.body.created, 9);
    assert.ok(r.body.warnings.some((w: string) => /security/.test(w)), r.body.warnings.join('\n'));
    const doc = await SwaggerParser.dereference(join(CONTRACTS, 'petstore-swagger-2.0.json'));
    const checked = await callEveryOperation(m.mockUrl, doc, true);
    assert.ok(checked >= 6, `only ${checked} bodies checked`);
  });

  test('picks the documented 404 with Prefer: code=404', async (t) => {
    const m = await startMockd(t);
    await postImport(m, fixture('petstore-swagger-2.0.json'));
    const res = await fetchWithTimeout(`${m.mockUrl}/pet/7`, { headers: { prefer: 'code=404' } });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { code: 404, type: 'error', message: 'Pet not found' });
  });
});

describe('when the Petstore 3.0 (with $refs to a sibling file) is imported at startup', () => {
  test('every operation answers with a body valid against its schema', async (t) => {
    const m = await startMockd(t, { imports: [{ path: join(CONTRACTS, 'petstore-3.0.yaml') }] });
    const { body } = await m.api('/mocks');
    assert.deepEqual(body.mocks.map((x: any) => x.id).sort(), ['petstore-3.0-createPets', 'petstore-3.0-listPets', 'petstore-3.0-showPetById']);
    const doc = await SwaggerParser.dereference(join(CONTRACTS, 'petstore-3.0.yaml'));
    const checked = await callEveryOperation(m.mockUrl, doc, false);
    assert.equal(checked, 2);
  });

  test('Prefer: example=<name> and code=<status> pick documented responses; without Prefer the first example answers', async (t) => {
    const m = await startMockd(t, { imports: [{ path: join(CONTRACTS, 'petstore-3.0.yaml') }] });
    const plain = await fetchWithTimeout(`${m.mockUrl}/pets/1`);
    assert.deepEqual(await plain.json(), { id: 1, name: 'Tom', tag: 'cat' });
    const dog = await fetchWithTimeout(`${m.mockUrl}/pets/1`, { headers: { prefer: 'example=dog' } });
    assert.equal(dog.status, 200);
    assert.deepEqual(await dog.json(), { id: 2, name: 'Rex', tag: 'dog' });
    const missing = await fetchWithTimeout(`${m.mockUrl}/pets/1`, { headers: { prefer: 'code=404' } });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { code: 404, message: 'pet not found' });
    const fallback = await fetchWithTimeout(`${m.mockUrl}/pets/1`, { headers: { prefer: 'code=500' } });
    assert.equal(fallback.status, 500);
    assert.equal(check({ type: 'object', required: ['code', 'message'], properties: { code: { type: 'integer' }, message: { type: 'string' } } }, await fallback.json()), undefined);
    const unknown = await fetchWithTimeout(`${m.mockUrl}/pets/1`, { headers: { prefer: 'example=nope' } });
    assert.equal(unknown.status, 200, 'an undocumented preference falls back to the default response');
  });
});

describe('when imported with validate: true in a config file imports list', () => {
  test('a request that breaks the spec gets 400 with the JSON pointer and reason; a valid one is answered', async (t) => {
    const dir = tempDir(t);
    const config = join(dir, 'mocks.yaml');
    writeFileSync(config, `imports:\n  - path: ${join(CONTRACTS, 'petstore-3.0.yaml')}\n    validate: true\n`);
    const m = await startMockd(t, { config });
    const badPath = await fetchWithTimeout(`${m.mockUrl}/pets/abc`);
    assert.equal(badPath.status, 400);
    const badPathBody = await badPath.json();
    assert.equal(badPathBody.pointer, '/path/petId');
    assert.match(badPathBody.reason, /integer/);
    const badQuery = await (await fetchWithTimeout(`${m.mockUrl}/pets?limit=500`)).json();
    assert.equal(badQuery.pointer, '/query/limit');
    assert.match(badQuery.reason, /<= 100/);
    const missing = await fetchWithTimeout(`${m.mockUrl}/pets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":1}' });
    assert.equal(missing.status, 400);
    const missingBody = await missing.json();
    assert.equal(missingBody.pointer, '/body/name');
    assert.match(missingBody.message, /must have required property 'name'/);
    const wrongType = await (await fetchWithTimeout(`${m.mockUrl}/pets`, { method: 'POST', body: '{"id":"x","name":"a"}' })).json();
    assert.equal(wrongType.pointer, '/body/id');
    const noBody = await (await fetchWithTimeout(`${m.mockUrl}/pets`, { method: 'POST' })).json();
    assert.equal(noBody.pointer, '/body');
    const ok = await fetchWithTimeout(`${m.mockUrl}/pets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":1,"name":"Tom"}' });
    assert.equal(ok.status, 201);
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/pets/12`)).status, 200);
  });
});

describe('when an OpenAPI 3.1 document with allOf, oneOf, enums, formats, bounds and patterns is imported', () => {
  test('every generated body is valid against its schema, for several seeds', async (t) => {
    const m = await startMockd(t);
    const doc = await SwaggerParser.dereference(join(CONTRACTS, 'shapes-3.1.yaml'));
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = await postImport(m, fixture('shapes-3.1.yaml'), `seed=${seed}&replace=true`);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(await callEveryOperation(m.mockUrl, doc, false), 3);
      const problem = await fetchWithTimeout(`${m.mockUrl}/payments`, { method: 'POST', headers: { prefer: 'code=400' } });
      assert.equal(problem.status, 400);
      assert.equal(problem.headers.get('content-type'), 'application/problem+json');
      const schema = (doc as any).paths['/payments'].post.responses['400'].content['application/problem+json'].schema;
      assert.equal(check(schema, await problem.json()), undefined);
    }
  });
});

describe('generated examples', () => {
  test('are the same for the same seed and differ for another seed', async (t) => {
    const m = await startMockd(t);
    const text = fixture('petstore-swagger-2.0.json');
    const bodyOf = async (seed: number) => {
      const r = await postImport(m, text, `dryRun=true&seed=${seed}`);
      assert.equal(r.status, 200);
      return JSON.stringify(r.body.mocks.map((x: any) => x.http.response.body));
    };
    assert.equal(await bodyOf(7), await bodyOf(7));
    assert.notEqual(await bodyOf(7), await bodyOf(8));
  });
});
