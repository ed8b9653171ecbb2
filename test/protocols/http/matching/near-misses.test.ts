import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HttpMatcher } from '../../../../src/mocks/types.ts';
import { HttpMockIndex } from '../../../../src/protocols/http/matching/mock-index.ts';
import { buildNoMatchBody } from '../../../../src/protocols/http/matching/near-misses.ts';
import { makeMock, makeRequest } from './make-mock.ts';

type Req = Parameters<typeof makeRequest>;

const nearMissesOf = (matchers: HttpMatcher[], ...req: Req) =>
  new HttpMockIndex(matchers.map((m, i) => makeMock(m, { id: `m${i}`, name: `mock ${i}` }))).nearMisses(makeRequest(...req));

describe('near-miss reasons', () => {
  // [matcher, request, matchPercentage, reason]
  const cases: [HttpMatcher, Req, number, string][] = [
    [{ method: 'POST', path: '/users' }, ['GET', '/users'], 50, 'method: expected POST, got GET'],
    [{ method: 'GET', path: '/users/{id}' }, ['GET', '/x'], 50, 'path: expected /users/{id}, got /x'],
    [{ method: 'GET', pathPattern: '^/v\\d/' }, ['GET', '/x'], 50, 'path: expected to match ^/v\\d/, got /x'],
    [{ path: '/a', headers: { 'X-Api': 'abc' } }, ['GET', '/a'], 50, 'header X-Api: expected abc, got missing'],
    [{ path: '/a', headers: { 'X-Api': 'abc*' } }, ['GET', '/a', { headers: { 'x-api': 'xyz' } }], 50, 'header X-Api: expected abc*, got xyz'],
    [{ path: '/a', queryParams: { page: '2' } }, ['GET', '/a?page=3'], 50, 'query page: expected 2, got 3'],
    [{ path: '/a', queryParams: { page: '2' } }, ['GET', '/a'], 50, 'query page: expected 2, got missing'],
    [{ path: '/a', bodyEquals: '{"a":1}' }, ['POST', '/a', { rawBody: '{"a":2}' }], 50, 'body: expected {"a":1}, got {"a":2}'],
    [{ path: '/a', bodyEquals: 'x' }, ['POST', '/a'], 50, 'body: expected x, got empty body'],
    [{ path: '/a', bodyContains: 'needle' }, ['POST', '/a', { rawBody: 'hay' }], 50, 'body: expected to contain needle, got hay'],
    [{ path: '/a', bodyPattern: '^\\d+$' }, ['POST', '/a', { rawBody: 'abc' }], 50, 'body: expected to match ^\\d+$, got abc'],
    [{ path: '/a', bodyJsonPath: { '$.t': 'x' } }, ['POST', '/a', { rawBody: '{"t":"y"}' }], 50, 'body $.t: expected "x", got "y"'],
    [{ path: '/a', bodyJsonPath: { '$.t': 'x' } }, ['POST', '/a', { rawBody: '{}' }], 50, 'body $.t: expected "x", got missing'],
    [{ path: '/a', bodyJsonPath: { '$.t': 'x' } }, ['POST', '/a', { rawBody: 'plain' }], 50, 'body $.t: expected "x", got a body that is not JSON'],
    [{ method: 'PUT', path: '/b', headers: { A: '1' } }, ['GET', '/b'], 33, 'method: expected PUT, got GET'],
    [{ method: 'PUT', path: '/b', headers: { A: '1' } }, ['PUT', '/c', { headers: { a: '1' } }], 67, 'path: expected /b, got /c'],
  ];
  for (const [matcher, req, matchPercentage, reason] of cases) {
    test(`gives ${matchPercentage}% and "${reason}"`, () => {
      assert.deepEqual(nearMissesOf([matcher], ...req), [{ mockId: 'm0', mockName: 'mock 0', matchPercentage, reason }]);
    });
  }

  test('clips a long body in the reason to one short line', () => {
    const [miss] = nearMissesOf([{ path: '/a', bodyContains: 'zzz' }], 'POST', '/a', { rawBody: `line one\n${'y'.repeat(500)}` });
    assert.ok(miss && miss.reason.length < 140, miss?.reason);
    assert.match(miss.reason, /^body: expected to contain zzz, got line one y+…$/);
  });
});

describe('near-miss selection', () => {
  test('lists only mocks with at least one matching criterion', () => {
    assert.deepEqual(nearMissesOf([{ method: 'POST', path: '/b' }, { path: '/c' }], 'GET', '/a'), []);
  });

  test('lists at most 3, best percentage first, then higher score', () => {
    const misses = nearMissesOf(
      [
        { method: 'GET', path: '/a', headers: { A: '1' } }, // 2 of 3 → 67, matched score 25
        { method: 'POST', path: '/a' }, // 1 of 2 → 50, matched score 15
        { method: 'GET', path: '/b' }, // 1 of 2 → 50, matched score 10
        { method: 'GET', path: '/a', queryParams: { q: '1' }, headers: { A: '1' } }, // 2 of 4 → 50, score 25
        { path: '/a/{x}', method: 'GET' }, // 1 of 2 → 50, score 10
      ],
      'GET',
      '/a',
    );
    assert.deepEqual(
      misses.map((m) => [m.mockId, m.matchPercentage]),
      [
        ['m0', 67],
        ['m3', 50],
        ['m1', 50],
      ],
    );
  });

  test('breaks equal near misses by priority, then createdAt', () => {
    const mocks = [
      makeMock({ method: 'POST', path: '/a' }, { id: 'late', createdAt: '2026-03-03T00:00:00.000Z' }),
      makeMock({ method: 'POST', path: '/a' }, { id: 'early', createdAt: '2026-03-01T00:00:00.000Z' }),
      makeMock({ method: 'POST', path: '/a' }, { id: 'prio', priority: 2, createdAt: '2026-03-04T00:00:00.000Z' }),
    ];
    const ids = new HttpMockIndex(mocks).nearMisses(makeRequest('GET', '/a')).map((m) => m.mockId);
    assert.deepEqual(ids, ['prio', 'early', 'late']);
  });

  test('leaves out disabled mocks', () => {
    const mocks = [makeMock({ method: 'POST', path: '/a' }, { id: 'off', enabled: false })];
    assert.deepEqual(new HttpMockIndex(mocks).nearMisses(makeRequest('GET', '/a')), []);
  });
});

describe('buildNoMatchBody', () => {
  test('builds the contract 404 body', () => {
    const nearMisses = nearMissesOf([{ method: 'POST', path: '/users' }], 'GET', '/users');
    assert.deepEqual(buildNoMatchBody({ method: 'GET', path: '/users' }, nearMisses), {
      error: 'no_match',
      message: 'No mock matched the request',
      method: 'GET',
      path: '/users',
      nearMisses: [{ mockId: 'm0', mockName: 'mock 0', matchPercentage: 50, reason: 'method: expected POST, got GET' }],
    });
  });

  test('gives an empty nearMisses array when there are none', () => {
    assert.deepEqual(buildNoMatchBody({ method: 'DELETE', path: '/x' }, []).nearMisses, []);
  });
});
