import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpResponse, Mock } from '../../../src/mocks/types.ts';
import { compileResponsePlan, renderBody, renderHeaders } from '../../../src/protocols/http/response-plan.ts';

function mockWith(response: HttpResponse): Mock {
  return {
    id: 'http_1', type: 'http', name: '', description: '', enabled: true, createdAt: '', updatedAt: '',
    http: { matcher: { path: '/x' }, response },
  };
}

const ctx = { request: { method: 'GET', path: '/x', pathParams: { id: '7' } } };

describe('compileResponsePlan', () => {
  test('precomputes headers and bytes of a response that reads nothing of the request', () => {
    const plan = compileResponsePlan(mockWith({ statusCode: 200, headers: { 'X-A': 'a' }, body: { ok: true } }), '/');
    assert.deepEqual(plan.fixed?.headers, { 'X-A': 'a', 'Content-Type': 'application/json', 'Content-Length': 11 });
    assert.equal(plan.fixed?.body.toString(), '{"ok":true}');
  });

  test("keeps the mock's Content-Type and leaves it out for an empty body", () => {
    const own = compileResponsePlan(mockWith({ statusCode: 200, headers: { 'content-type': 'text/html' }, body: '{}' }), '/');
    assert.deepEqual(own.fixed?.headers, { 'content-type': 'text/html', 'Content-Length': 2 });
    const empty = compileResponsePlan(mockWith({ statusCode: 200 }), '/');
    assert.deepEqual(empty.fixed?.headers, { 'Content-Length': 0 });
  });

  const dynamic: [string, HttpResponse][] = [
    ['a templated header', { statusCode: 200, headers: { 'X-Id': '{{uuid}}' } }],
    ['a templated string body', { statusCode: 200, body: 'id {{request.pathParam.id}}' }],
    ['a templated string inside a JSON body', { statusCode: 200, body: { a: ['{{now}}'] } }],
    ['a body file', { statusCode: 200, bodyFile: 'x.json' }],
    ['a script', { statusCode: 200, script: 'return {}' }],
  ];
  for (const [name, response] of dynamic) {
    test(`renders per request with ${name}`, () => assert.equal(compileResponsePlan(mockWith(response), '/base').fixed, undefined));
  }

  test('renders header and body templates with the request', async () => {
    const plan = compileResponsePlan(mockWith({ statusCode: 200, headers: { 'X-Id': '{{request.pathParam.id}}' }, body: { id: '{{request.pathParam.id}}', n: 1 } }), '/');
    assert.deepEqual(renderHeaders(plan, ctx), { 'X-Id': '7' });
    assert.deepEqual(await renderBody(plan.body, ctx), { data: '{"id":"7","n":1}', isJson: true });
  });

  test('takes scriptTimeoutMs, 1000 ms by default (contract §3.4)', () => {
    assert.deepEqual(compileResponsePlan(mockWith({ statusCode: 200, script: 'return {}' }), '/').script, { source: 'return {}', timeoutMs: 1000 });
    assert.equal(compileResponsePlan(mockWith({ statusCode: 200, script: 'return {}', scriptTimeoutMs: 50 }), '/').script?.timeoutMs, 50);
  });
});
