import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compilePath } from '../../../../src/protocols/http/matching/path-template.ts';
import { RequestView } from '../../../../src/protocols/http/matching/request-view.ts';

const view = (path: string) => new RequestView({ method: 'GET', path, query: {}, headers: {} });

describe('compilePath', () => {
  const kinds: [string, string][] = [
    ['/users', 'exact'],
    ['/', 'exact'],
    ['/users/{id}', 'param'],
    ['/files/{name}.json', 'param'],
    ['/api/v{ver}/x', 'param'],
    ['/x/*', 'wildcard'],
    ['/x/{id}/*', 'wildcard'],
    ['/files/*.txt', 'wildcard'],
  ];
  for (const [path, kind] of kinds) {
    test(`classifies ${path} as ${kind}`, () => assert.equal(compilePath(path).kind, kind));
  }

  // [template, request path, expected params or false]
  const cases: [string, string, Record<string, string> | false][] = [
    ['/users', '/users', {}],
    ['/users', '/users/', false],
    ['/users', '/Users', false],
    ['/caf\u00e9', '/caf%C3%A9', {}],
    ['/users/{id}', '/users/42', { id: '42' }],
    ['/caf\u00e9/{id}', '/caf%C3%A9/1', { id: '1' }],
    ['/caf%C3%A9/{id}', '/caf%C3%A9/1', { id: '1' }],
    ['/100%/{id}', '/100%25/1', { id: '1' }],
    ['/users/{id}', '/users/42/', { id: '42' }],
    ['/users/{id}/', '/users/42', { id: '42' }],
    ['/users/{id}', '/users', false],
    ['/users/{id}', '/users/42/orders', false],
    ['/users/{id}', '/people/42', false],
    ['/users/{id}', '/users/john%20doe', { id: 'john doe' }],
    ['/users/{id}', '/users/a%2Fb', { id: 'a/b' }],
    ['/users/{id}', '/users/%E0%A4%A', { id: '%E0%A4%A' }],
    ['/users/{id}/orders/{orderId}', '/users/7/orders/x-1', { id: '7', orderId: 'x-1' }],
    ['/files/{name}.json', '/files/report.json', { name: 'report' }],
    ['/files/{name}.json', '/files/a.b.json', { name: 'a.b' }],
    ['/files/{name}.json', '/files/report.xml', false],
    ['/files/{name}.json', '/files/.json', false],
    ['/api/v{ver}/items', '/api/v2/items', { ver: '2' }],
    ['/api/v{ver}/items', '/api/2/items', false],
    ['/{a}-{b}', '/left-right', { a: 'left', b: 'right' }],
    ['/x/*', '/x', {}],
    ['/x/*', '/x/', {}],
    ['/x/*', '/x/a', {}],
    ['/x/*', '/x/a/b/c', {}],
    ['/x/*', '/xy', false],
    ['/x/*', '/', false],
    ['/*', '/', {}],
    ['/*', '/anything/at/all', {}],
    ['/x/{id}/*', '/x/9/deeper/still', { id: '9' }],
    ['/x/{id}/*', '/x', false],
    ['/files/*.txt', '/files/notes.txt', {}],
    ['/files/*.txt', '/files/a/notes.txt', false],
    ['/a/*/c', '/a/b/c', {}],
    ['/a/*/c', '/a/b/b/c', false],
  ];
  for (const [template, path, expected] of cases) {
    test(`${expected ? 'matches' : 'does not match'} ${path} against ${template}`, () => {
      const compiled = compilePath(template);
      const v = view(path);
      assert.equal(compiled.matches(v), expected !== false);
      if (expected) assert.deepEqual(compiled.params(v), expected);
    });
  }

  test('files param and wildcard paths under their leading literal segments', () => {
    assert.deepEqual(compilePath('/api/v1/users/{id}/x').literalPrefix, ['api', 'v1', 'users']);
    assert.deepEqual(compilePath('/x/*').literalPrefix, ['x']);
    assert.deepEqual(compilePath('/{tenant}/x').literalPrefix, []);
    assert.deepEqual(compilePath('/api/v{ver}').literalPrefix, ['api']);
  });

  test('treats regex characters in literal text literally', () => {
    const compiled = compilePath('/a.b/{id}(x)');
    assert.equal(compiled.matches(view('/a.b/1(x)')), true);
    assert.equal(compiled.matches(view('/aXb/1(x)')), false);
    assert.deepEqual(compiled.params(view('/a.b/1(x)')), { id: '1' });
  });
});
