import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TemplateContext } from '../../src/templating/index.ts';
import { render } from './render.ts';

describe('request data', () => {
  const cases: Array<[string, string]> = [
    ['{{request.method}}', 'POST'],
    ['{{request.path}}', '/users/42'],
    ['{{request.url}}', '/users/42?page=2&tag=a&tag=b'],
    ['{{request.rawBody}}', '{"user":{"name":"Ada","tags":["x","y"]},"items":[{"sku":"A1"},{"sku":"B2"}],"count":3}'],
    ['{{request.pathParam.id}}', '42'],
    ['{{request.pathParams.id}}', '42'],
    ['{{request.pathParam.nope}}', ''],
  ];
  for (const [source, expected] of cases) {
    test(`${source} renders ${JSON.stringify(expected)}`, () => assert.equal(render(source), expected));
  }
});

describe('request.body', () => {
  const cases: Array<[string, string]> = [
    ['{{request.body.user.name}}', 'Ada'],
    ['{{request.body.count}}', '3'],
    ['{{request.body.active}}', 'true'],
    ['{{request.body.nothing}}', 'null'],
    ['{{request.body.empty}}', ''],
    ['{{request.body.absent}}', ''],
    ['{{request.body.user.absent.deeper}}', ''],
    ['{{request.body.user.tags}}', '["x","y"]'],
    ['{{request.body.items.0}}', '{"sku":"A1"}'],
    ['{{request.body.items.1.sku}}', 'B2'],
    ['{{request.body.items[1].sku}}', 'B2'],
    ['{{request.body["items"][0]["sku"]}}', 'A1'],
    ['{{request.body.items.9.sku}}', ''],
    ['{{request.body.items.length}}', '2'],
    ['{{request.body["dotted.key"]}}', 'dot'],
    ['{{request.body.user.userId}}', 'u-7'],
    ['{{request.body.USER.UserID}}', 'u-7'],
    ['{{request.body.user.name.length}}', ''],
    ['{{request.body.constructor}}', ''],
    ['{{request.body.__proto__}}', ''],
    ['{{request.body.user.toString}}', ''],
  ];
  for (const [source, expected] of cases) {
    test(`${source} renders ${JSON.stringify(expected)}`, () => assert.equal(render(source), expected));
  }

  test('request.body alone renders the whole body as compact JSON', () => {
    const ctx = { request: { body: { a: [1, { b: 'c' }] }, rawBody: '{ "a": [1, {"b": "c"}] }' } };
    assert.equal(render('{{request.body}}', ctx), '{"a":[1,{"b":"c"}]}');
  });

  test('prefers the exact key over one that differs only in case', () => {
    assert.equal(render('{{request.body.Name}}', { request: { body: { name: 'lower', Name: 'exact' } } }), 'exact');
  });

  test('parses rawBody itself when no parsed body is given', () => {
    const ctx = { request: { rawBody: '{"a":{"b":[10,20]}}' } };
    assert.equal(render('{{request.body.a.b.1}}|{{request.body.a}}', ctx), '20|{"b":[10,20]}');
  });

  test('renders "" for fields of a body that is not JSON, and the raw text for request.body', () => {
    const ctx = { request: { rawBody: 'hello there' } };
    assert.equal(render('[{{request.body.a}}][{{request.body}}][{{request.rawBody}}]', ctx), '[][hello there][hello there]');
  });

  test('reads the top level of a JSON array body by index', () => {
    assert.equal(render('{{request.body.1}}', { request: { rawBody: '["a","b"]' } }), 'b');
  });
});

describe('request.query', () => {
  const cases: Array<[string, string]> = [
    ['{{request.query.page}}', '2'],
    ['{{request.query.tag}}', 'a'],
    ['{{request.query.PAGE}}', '2'],
    ['{{request.query.missing}}', ''],
  ];
  for (const [source, expected] of cases) {
    test(`${source} renders ${JSON.stringify(expected)}`, () => assert.equal(render(source), expected));
  }

  test('reads a key that contains dots', () => {
    assert.equal(render('{{request.query.filter.name}}', { request: { query: { 'filter.name': 'x' } } }), 'x');
  });
});

describe('request.header', () => {
  const cases: Array<[string, string]> = [
    ['{{request.header.X-Trace-Id}}', 'trace-1'],
    ['{{request.header.x-trace-id}}', 'trace-1'],
    ['{{request.header.X-TRACE-ID}}', 'trace-1'],
    ['{{request.headers.Content-Type}}', 'application/json'],
    ['{{request.header.Accept}}', 'text/plain'],
    ['{{request.header.X-Missing}}', ''],
  ];
  for (const [source, expected] of cases) {
    test(`${source} renders ${JSON.stringify(expected)}`, () => assert.equal(render(source), expected));
  }

  test('finds a header stored with mixed-case names, as gRPC metadata may be', () => {
    const ctx = { request: { headers: { 'X-Tenant': 'acme', authorization: 'Bearer t' } } };
    assert.equal(render('{{request.header.x-tenant}}|{{request.header.Authorization}}', ctx), 'acme|Bearer t');
  });
});

describe('protocol extras', () => {
  const mqtt: TemplateContext = {
    extra: { topic: 'sensors/temp', clientid: 'sensor-7', payload: '{"t":21}', meta: { site: { name: 'north' } }, uuid: 'shadowed' },
    request: { rawBody: '{"t":21}' },
  };
  const cases: Array<[string, string]> = [
    ['{{topic}}', 'sensors/temp'],
    ['{{clientid}}', 'sensor-7'],
    ['{{clientId}}', 'sensor-7'],
    ['{{CLIENTID}}', 'sensor-7'],
    ['{{payload}}', '{"t":21}'],
    ['{{request.body.t}}', '21'],
    ['{{meta.site.name}}', 'north'],
    ['{{meta.site}}', '{"name":"north"}'],
    ['{{meta.nope}}', ''],
    ['{{upper(topic)}}', 'SENSORS/TEMP'],
    ['{{missing}}', ''],
  ];
  for (const [source, expected] of cases) {
    test(`${source} renders ${JSON.stringify(expected)}`, () => assert.equal(render(source, mqtt), expected));
  }

  test('a built-in name wins over an extra of the same name', () => {
    assert.match(render('{{uuid}}', mqtt), /^[0-9a-f]{8}-/);
  });
});
