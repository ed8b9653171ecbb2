import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Mock } from '../../../../src/mocks/types.ts';
import { HttpMockIndex } from '../../../../src/protocols/http/matching/mock-index.ts';
import { makeMock, makeRequest } from './make-mock.ts';

const winner = (mocks: Mock[], ...req: Parameters<typeof makeRequest>) => new HttpMockIndex(mocks).match(makeRequest(...req))?.mock.id;

describe('HttpMockIndex selection', () => {
  // [what, mocks, request, expected winner id] — every mock in a case could match the request.
  const cases: [string, Mock[], Parameters<typeof makeRequest>, string][] = [
    [
      'exact path beats param path',
      [makeMock({ path: '/users/{id}' }, { id: 'param' }), makeMock({ path: '/users/me' }, { id: 'exact' })],
      ['GET', '/users/me'],
      'exact',
    ],
    [
      'pathPattern beats param path, which beats wildcard',
      [makeMock({ path: '/users/*' }, { id: 'wild' }), makeMock({ path: '/users/{id}' }, { id: 'param' }), makeMock({ pathPattern: '^/users/' }, { id: 'pattern' })],
      ['GET', '/users/me'],
      'pattern',
    ],
    [
      'param path beats wildcard',
      [makeMock({ path: '/users/*' }, { id: 'wild' }), makeMock({ path: '/users/{id}' }, { id: 'param' })],
      ['GET', '/users/me'],
      'param',
    ],
    [
      'more headers win',
      [makeMock({ path: '/a', headers: { A: '1' } }, { id: 'one' }), makeMock({ path: '/a', headers: { A: '1', B: '2' } }, { id: 'two' })],
      ['GET', '/a', { headers: { a: '1', b: '2' } }],
      'two',
    ],
    [
      'a method adds to the score',
      [makeMock({ path: '/a' }, { id: 'any' }), makeMock({ method: 'GET', path: '/a' }, { id: 'get' })],
      ['GET', '/a'],
      'get',
    ],
    [
      'bodyEquals beats bodyPattern beats bodyContains',
      [makeMock({ bodyContains: 'x' }, { id: 'contains' }), makeMock({ bodyPattern: 'x' }, { id: 'pattern' }), makeMock({ bodyEquals: 'x' }, { id: 'equals' })],
      ['POST', '/', { rawBody: 'x' }],
      'equals',
    ],
    [
      'a header outweighs a query param',
      [makeMock({ queryParams: { p: '1' } }, { id: 'query' }), makeMock({ headers: { A: '1' } }, { id: 'header' })],
      ['GET', '/?p=1', { headers: { a: '1' } }],
      'header',
    ],
    [
      'higher priority wins a tie',
      [makeMock({ path: '/a' }, { id: 'low', priority: 1 }), makeMock({ path: '/a' }, { id: 'high', priority: 5 })],
      ['GET', '/a'],
      'high',
    ],
    [
      'score wins over priority',
      [makeMock({ path: '/a/{x}' }, { id: 'prio', priority: 100 }), makeMock({ path: '/a/b' }, { id: 'score' })],
      ['GET', '/a/b'],
      'score',
    ],
    [
      'earlier createdAt wins a tie of score and priority',
      [makeMock({ path: '/a' }, { id: 'late', createdAt: '2026-03-02T00:00:00.000Z' }), makeMock({ path: '/a' }, { id: 'early', createdAt: '2026-03-01T00:00:00.000Z' })],
      ['GET', '/a'],
      'early',
    ],
    [
      'the earlier position wins a complete tie',
      [makeMock({ path: '/a' }, { id: 'first' }), makeMock({ path: '/a' }, { id: 'second' })],
      ['GET', '/a'],
      'first',
    ],
    [
      'a method-less pathPattern mock beats a weaker indexed one',
      [makeMock({ method: 'GET', path: '/a/*' }, { id: 'indexed' }), makeMock({ pathPattern: '^/a/b$', headers: { A: '1' } }, { id: 'pattern' })],
      ['GET', '/a/b', { headers: { a: '1' } }],
      'pattern',
    ],
    [
      'a root-level param mock beats a deeper wildcard',
      [makeMock({ path: '/api/v1/*' }, { id: 'wild' }), makeMock({ path: '/{tenant}/v1/{thing}' }, { id: 'param' })],
      ['GET', '/api/v1/users'],
      'param',
    ],
  ];
  for (const [what, mocks, req, expected] of cases) {
    test(`picks the right mock when ${what}`, () => {
      assert.equal(winner(mocks, ...req), expected);
      assert.equal(winner([...mocks].reverse(), ...req), expected === 'first' ? 'second' : expected);
    });
  }

  test('requires every criterion a mock sets', () => {
    const mocks = [makeMock({ method: 'POST', path: '/a', headers: { A: '1' } }, { id: 'strict' })];
    assert.equal(winner(mocks, 'POST', '/a', { headers: { a: '1' } }), 'strict');
    assert.equal(winner(mocks, 'POST', '/a'), undefined);
    assert.equal(winner(mocks, 'GET', '/a', { headers: { a: '1' } }), undefined);
    assert.equal(winner(mocks, 'POST', '/b', { headers: { a: '1' } }), undefined);
  });

  test('returns the score and URL-decoded path params of the winner', () => {
    const index = new HttpMockIndex([makeMock({ method: 'GET', path: '/users/{id}/files/{name}.json' })]);
    const match = index.match(makeRequest('GET', '/users/j%C3%BCrgen%20k/files/a%2Fb.json'));
    assert.deepEqual(match?.pathParams, { id: 'jürgen k', name: 'a/b' });
    assert.equal(match?.score, 22);
    assert.equal(match?.headFallback, false);
  });

  test('matches exact paths written with characters the request percent-encodes', () => {
    assert.equal(winner([makeMock({ path: '/café menu' }, { id: 'menu' })], 'GET', '/caf%C3%A9%20menu'), 'menu');
  });

  test('matches methods of any case and custom methods', () => {
    const mocks = [makeMock({ method: 'purge', path: '/c' }, { id: 'purge' })];
    assert.equal(winner(mocks, 'PURGE', '/c'), 'purge');
    assert.equal(winner(mocks, 'purge', '/c'), 'purge');
  });
});

describe('HttpMockIndex mock set', () => {
  test('skips disabled mocks, other protocols and mocks without a matcher', () => {
    const ws: Mock = { ...makeMock({ path: '/a' }, { id: 'ws' }), type: 'websocket', http: undefined, websocket: { path: '/a' } };
    const index = new HttpMockIndex([makeMock({ path: '/a' }, { id: 'off', enabled: false, priority: 9 }), ws]);
    assert.equal(index.size, 0);
    assert.equal(index.match(makeRequest('GET', '/a')), undefined);
    assert.deepEqual(index.nearMisses(makeRequest('GET', '/b')), []);
  });

  test('matches SSE mocks like any HTTP mock', () => {
    assert.equal(winner([makeMock({ path: '/events' }, { id: 'sse', sse: true })], 'GET', '/events'), 'sse');
  });

  test('leaves out a mock whose matcher does not compile and keeps the rest', () => {
    const index = new HttpMockIndex([makeMock({ pathPattern: '(' }, { id: 'bad' }), makeMock({ path: '/a' }, { id: 'good' })]);
    assert.deepEqual(index.skipped, ['bad']);
    assert.equal(index.match(makeRequest('GET', '/a'))?.mock.id, 'good');
  });
});

describe('HttpMockIndex HEAD', () => {
  test('answers a HEAD that matches nothing with the GET mock and says it fell back', () => {
    const match = new HttpMockIndex([makeMock({ method: 'GET', path: '/a' }, { id: 'get' })]).match(makeRequest('HEAD', '/a'));
    assert.equal(match?.mock.id, 'get');
    assert.equal(match?.headFallback, true);
  });

  test('prefers a HEAD mock and a method-less mock to the GET fallback', () => {
    const get = makeMock({ method: 'GET', path: '/a', headers: { A: '1' } }, { id: 'get' });
    const head = makeMock({ method: 'HEAD', path: '/a' }, { id: 'head' });
    const any = makeMock({ path: '/a' }, { id: 'any' });
    const req = makeRequest('HEAD', '/a', { headers: { a: '1' } });
    assert.deepEqual(pick(new HttpMockIndex([get, head]).match(req)), ['head', false]);
    assert.deepEqual(pick(new HttpMockIndex([get, any]).match(req)), ['any', false]);
  });

  test('does not fall back for other methods', () => {
    assert.equal(winner([makeMock({ method: 'GET', path: '/a' })], 'OPTIONS', '/a'), undefined);
  });
});

describe('HttpMockIndex needsBody', () => {
  const index = new HttpMockIndex([
    makeMock({ method: 'POST', path: '/orders', bodyJsonPath: { '$.kind': 'x' } }),
    makeMock({ method: 'POST', path: '/orders' }),
    makeMock({ method: 'GET', path: '/orders/{id}' }),
    makeMock({ path: '/search/*', bodyContains: 'q' }),
    makeMock({ pathPattern: '^/rx', method: 'PUT', bodyEquals: 'x' }),
  ]);
  const cases: [string, string, boolean][] = [
    ['POST', '/orders', true],
    ['GET', '/orders', false],
    ['GET', '/orders/1', false],
    ['DELETE', '/search/a/b', true],
    ['HEAD', '/search', true],
    ['PUT', '/anything', true],
    ['POST', '/anything', false],
  ];
  for (const [method, path, expected] of cases) {
    test(`is ${expected} for ${method} ${path}`, () => assert.equal(index.needsBody(method, path), expected));
  }
  test('reports whether any mock looks at the body', () => {
    assert.equal(index.hasBodyMatchers, true);
    assert.equal(new HttpMockIndex([makeMock({ path: '/a' })]).hasBodyMatchers, false);
  });
});

describe('HttpMockIndex with 10,000 mocks', () => {
  test('finds each mock by its own path among 10,000', () => {
    const methods = ['GET', 'POST', 'PUT', 'DELETE', undefined];
    const mocks: Mock[] = [];
    for (let i = 0; i < 10_000; i++) {
      const method = methods[i % methods.length];
      const path = i % 3 === 0 ? `/svc${i % 97}/items/${i}` : i % 3 === 1 ? `/svc${i % 97}/r${i}/{id}` : `/w${i}/*`;
      mocks.push(makeMock({ method, path }, { id: `m${i}` }));
    }
    const index = new HttpMockIndex(mocks);
    assert.equal(index.size, 10_000);
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 500; n++) {
      const i = Math.floor(random() * 10_000);
      const method = methods[i % methods.length] ?? 'PATCH';
      const path = i % 3 === 0 ? `/svc${i % 97}/items/${i}` : i % 3 === 1 ? `/svc${i % 97}/r${i}/v${n}` : `/w${i}/deep/${n}`;
      const match = index.match(makeRequest(method, path));
      assert.equal(match?.mock.id, `m${i}`, `${method} ${path}`);
      if (i % 3 === 1) assert.deepEqual(match?.pathParams, { id: `v${n}` });
    }
  });
});

function pick(match: ReturnType<HttpMockIndex['match']>): [string | undefined, boolean | undefined] {
  return [match?.mock.id, match?.headFallback];
}
