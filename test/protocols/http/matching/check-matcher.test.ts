import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HttpMatcher } from '../../../../src/mocks/types.ts';
import { checkMatcher } from '../../../../src/protocols/http/matching/check-matcher.ts';

// [what, matcher, field, reason pattern]
const problems: [string, HttpMatcher, string, RegExp][] = [
  ['no criterion', {}, 'http.matcher', /at least one criterion/],
  ['empty header and query maps only', { headers: {}, queryParams: {} }, 'http.matcher', /at least one criterion/],
  ['a path without a leading slash', { path: 'users/{id}' }, 'http.matcher.path', /must start with "\/"/],
  ['path together with pathPattern', { path: '/a', pathPattern: '^/a' }, 'http.matcher.pathPattern', /not allowed together with path/],
  ['a pathPattern that does not compile', { pathPattern: '([a-z' }, 'http.matcher.pathPattern', /^invalid regular expression: /],
  ['a bodyPattern that does not compile', { method: 'POST', bodyPattern: '*x' }, 'http.matcher.bodyPattern', /^invalid regular expression: /],
  ['bodyEquals together with bodyContains', { bodyEquals: 'a', bodyContains: 'a' }, 'http.matcher.bodyContains', /not allowed together with bodyEquals/],
  ['a bodyJsonPath key that does not parse', { bodyJsonPath: { 'a.b': 1 } }, 'http.matcher.bodyJsonPath', /^invalid JSONPath: .* in key "a\.b"$/],
];

for (const [what, matcher, field, reason] of problems) {
  test(`reports ${what} on ${field}`, () => {
    const problem = checkMatcher(matcher);
    assert.equal(problem?.field, field);
    assert.match(problem?.reason ?? '', reason);
  });
}

test('names fields under the prefix it is given (legacy top-level matcher)', () => {
  assert.deepEqual(checkMatcher({ path: 'x' }, 'matcher'), { field: 'matcher.path', reason: 'must start with "/"' });
});

test('accepts valid matchers of every kind', () => {
  const valid: HttpMatcher[] = [
    { method: 'GET' },
    { path: '/' },
    { path: '/users/{id}.json' },
    { pathPattern: '^/v\\d+/' },
    { headers: { A: '*x*' } },
    { queryParams: { q: '' } },
    { bodyEquals: '' },
    { bodyPattern: '\\d', bodyContains: 'x' },
    { bodyJsonPath: { '$.a[0]': null, "$['b']": { c: 1 } } },
  ];
  for (const matcher of valid) assert.equal(checkMatcher(matcher), undefined, JSON.stringify(matcher));
});
