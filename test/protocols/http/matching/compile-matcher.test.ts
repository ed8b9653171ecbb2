import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HttpMatcher } from '../../../../src/mocks/types.ts';
import { compileMatcher, literalSegmentsOfPattern } from '../../../../src/protocols/http/matching/compile-matcher.ts';
import { RequestView } from '../../../../src/protocols/http/matching/request-view.ts';
import { makeRequest } from './make-mock.ts';

type Req = Parameters<typeof makeRequest>;

// [what, matcher, request, matches]
const cases: [string, HttpMatcher, Req, boolean][] = [
  ['method ignoring case', { method: 'post' }, ['POST', '/'], true],
  ['method of the request in lower case', { method: 'POST' }, ['post', '/'], true],
  ['another method', { method: 'POST' }, ['GET', '/'], false],
  ['exact path', { path: '/a/b' }, ['GET', '/a/b?x=1'], true],
  ['param path', { path: '/a/{id}' }, ['GET', '/a/1'], true],
  ['wildcard path', { path: '/a/*' }, ['GET', '/a/1/2'], true],
  ['pathPattern, not anchored', { pathPattern: 'b/\\d+' }, ['GET', '/a/b/12/c'], true],
  ['pathPattern anchored', { pathPattern: '^/b/\\d+$' }, ['GET', '/a/b/12'], false],
  ['pathPattern on the decoded path', { pathPattern: '^/caf\u00e9 \\w+$' }, ['GET', '/caf%C3%A9%20menu'], true],
  ['pathPattern on the path as sent', { pathPattern: '%20' }, ['GET', '/a%20b'], true],
  ['header value written as a number', { headers: { 'X-V': 2 as unknown as string } }, ['GET', '/', { headers: { 'x-v': '2' } }], true],
  ['header name in another case', { headers: { 'X-Api': 'abc' } }, ['GET', '/', { headers: { 'x-api': 'abc' } }], true],
  ['header value in another case', { headers: { 'X-Api': 'abc' } }, ['GET', '/', { headers: { 'x-api': 'ABC' } }], false],
  ['missing header', { headers: { 'X-Api': 'abc' } }, ['GET', '/'], false],
  ['header prefix glob', { headers: { Authorization: 'Bearer *' } }, ['GET', '/', { headers: { authorization: 'Bearer t0k' } }], true],
  ['header prefix glob, wrong prefix', { headers: { Authorization: 'Bearer *' } }, ['GET', '/', { headers: { authorization: 'Basic x' } }], false],
  ['header suffix glob', { headers: { Accept: '*json' } }, ['GET', '/', { headers: { accept: 'application/json' } }], true],
  ['header middle glob', { headers: { 'User-Agent': '*Firefox*' } }, ['GET', '/', { headers: { 'user-agent': 'Mozilla Firefox 1' } }], true],
  ['header middle glob, absent', { headers: { 'User-Agent': '*Firefox*' } }, ['GET', '/', { headers: { 'user-agent': 'curl' } }], false],
  ['header glob with regex characters', { headers: { 'X-V': '1.*' } }, ['GET', '/', { headers: { 'x-v': '1x2' } }], false],
  ['repeated header joined', { headers: { 'X-T': 'a, b' } }, ['GET', '/', { headers: { 'x-t': ['a', 'b'] } }], true],
  ['every header must match', { headers: { A: '1', B: '2' } }, ['GET', '/', { headers: { a: '1', b: '3' } }], false],
  ['query param', { queryParams: { page: '2' } }, ['GET', '/?page=2'], true],
  ['query param, first value counts', { queryParams: { page: '2' } }, ['GET', '/?page=1&page=2'], false],
  ['query param decoded', { queryParams: { q: 'a b' } }, ['GET', '/?q=a+b'], true],
  ['missing query param', { queryParams: { page: '2' } }, ['GET', '/'], false],
  ['bodyEquals', { bodyEquals: '{"a":1}' }, ['POST', '/', { rawBody: '{"a":1}' }], true],
  ['bodyEquals with other spacing', { bodyEquals: '{"a":1}' }, ['POST', '/', { rawBody: '{"a": 1}' }], false],
  ['bodyEquals empty and no body', { bodyEquals: '' }, ['POST', '/'], true],
  ['bodyContains', { bodyContains: 'needle' }, ['POST', '/', { rawBody: 'hay needle hay' }], true],
  ['bodyContains absent', { bodyContains: 'needle' }, ['POST', '/', { rawBody: 'hay' }], false],
  ['bodyPattern', { bodyPattern: '"id":\\s*\\d+' }, ['POST', '/', { rawBody: '{"id": 42}' }], true],
  ['bodyPattern absent', { bodyPattern: '^\\d+$' }, ['POST', '/', { rawBody: '4x' }], false],
  ['bodyJsonPath value', { bodyJsonPath: { '$.user.name': 'ann' } }, ['POST', '/', { rawBody: '{"user":{"name":"ann"}}' }], true],
  ['bodyJsonPath deep value', { bodyJsonPath: { '$.tags': ['a', { b: 1 }] } }, ['POST', '/', { rawBody: '{"tags":["a",{"b":1}]}' }], true],
  ['bodyJsonPath with another type', { bodyJsonPath: { '$.n': 1 } }, ['POST', '/', { rawBody: '{"n":"1"}' }], false],
  ['bodyJsonPath array form', { bodyJsonPath: { "$['items'][1].id": 7 } }, ['POST', '/', { rawBody: '{"items":[{"id":1},{"id":7}]}' }], true],
  ['bodyJsonPath on a non-JSON body', { bodyJsonPath: { '$.a': 1 } }, ['POST', '/', { rawBody: 'a=1' }], false],
  ['bodyJsonPath null value', { bodyJsonPath: { '$.a': null } }, ['POST', '/', { rawBody: '{"a":null}' }], true],
  ['bodyJsonPath null against missing', { bodyJsonPath: { '$.a': null } }, ['POST', '/', { rawBody: '{}' }], false],
  [
    'every criterion together',
    { method: 'PUT', path: '/u/{id}', headers: { 'X-K': 'v' }, queryParams: { q: '1' }, bodyContains: 'ok', bodyJsonPath: { '$.ok': true } },
    ['PUT', '/u/1?q=1', { headers: { 'x-k': 'v' }, rawBody: '{"ok":true}' }],
    true,
  ],
];

describe('compileMatcher', () => {
  for (const [what, matcher, req, expected] of cases) {
    test(`${expected ? 'matches' : 'rejects'} on ${what}`, () => {
      assert.equal(compileMatcher(matcher).matches(new RequestView(makeRequest(...req))), expected);
    });
  }

  // [matcher, score] straight from the contract §3.1 table
  const scores: [HttpMatcher, number][] = [
    [{ method: 'GET' }, 10],
    [{ path: '/a' }, 15],
    [{ path: '/a/{id}' }, 12],
    [{ path: '/a/*' }, 10],
    [{ pathPattern: '^/a' }, 14],
    [{ headers: { A: '1', B: '2' } }, 20],
    [{ queryParams: { a: '1', b: '2', c: '3' } }, 15],
    [{ bodyEquals: 'x' }, 25],
    [{ bodyPattern: 'x' }, 22],
    [{ bodyContains: 'x' }, 20],
    [{ bodyJsonPath: { '$.a': 1, '$.b': 2 } }, 30],
    [{ method: 'POST', path: '/a/{id}', headers: { A: '1' }, queryParams: { q: '1' }, bodyContains: 'x' }, 57],
  ];
  for (const [matcher, score] of scores) {
    test(`scores ${JSON.stringify(matcher)} ${score}`, () => assert.equal(compileMatcher(matcher).score, score));
  }

  test('says whether the body is needed', () => {
    assert.equal(compileMatcher({ method: 'GET', path: '/a', headers: { A: '1' } }).needsBody, false);
    assert.equal(compileMatcher({ path: '/a', bodyJsonPath: { '$.a': 1 } }).needsBody, true);
    assert.equal(compileMatcher({ bodyContains: 'x' }).needsBody, true);
  });

  test('refuses an invalid matcher with a validation_error naming the field', () => {
    assert.throws(() => compileMatcher({ pathPattern: '(' }), { code: 'validation_error', field: 'http.matcher.pathPattern' });
    assert.throws(() => compileMatcher({ path: 'users' }), { code: 'validation_error', field: 'http.matcher.path' });
  });

  test('parses the body as JSON once for all of its bodyJsonPath entries', () => {
    const view = new RequestView(makeRequest('POST', '/', { rawBody: '{"a":1,"b":2}' }));
    const first = view.json?.value;
    assert.equal(compileMatcher({ bodyJsonPath: { '$.a': 1, '$.b': 2 } }).matches(view), true);
    assert.equal(view.json?.value, first);
  });
});

describe('literalSegmentsOfPattern (indexing of anchored path patterns)', () => {
  const cases: [string, string[] | undefined][] = [
    ['^/legacy/98/.*$', ['legacy', '98']],
    ['^/api/v1/users/\\d+$', ['api', 'v1', 'users']],
    ['^/api\\/v2/x.*', ['api', 'v2']],
    ['^/a/b', ['a']],
    ['^/a/b?/c', ['a']],
    ['^/ab?c/x', undefined],
    ['^/a|^/b', undefined],
    ['/x/y', undefined],
    ['^/.*', undefined],
  ];
  for (const [source, expected] of cases) {
    test(`${source} → ${JSON.stringify(expected)}`, () => assert.deepEqual(literalSegmentsOfPattern(source), expected));
  }
});
