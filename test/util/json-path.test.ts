import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkJsonPath, evaluateJsonPath, parseJsonPath } from '../../src/util/json-path.ts';

const doc = {
  type: 'ping',
  a: { b: 'deep', 'x.y': 1, "it's": 2, list: [{ b: 'first' }, { b: 'second' }] },
  matrix: [
    [1, 2],
    [3, [4, 5]],
  ],
  nothing: null,
  zero: 0,
};

describe('evaluateJsonPath', () => {
  const found: [string, unknown][] = [
    ['$', doc],
    ['$.type', 'ping'],
    ['$.a.b', 'deep'],
    ['$.a.list[0].b', 'first'],
    ['$.a.list[1].b', 'second'],
    ['$.a.list[-1].b', 'second'],
    ["$['a']['b']", 'deep'],
    ['$["a"]["b"]', 'deep'],
    ["$.a['x.y']", 1],
    ["$.a['it\\'s']", 2],
    ['$.matrix[1][1][0]', 4],
    ['$.matrix[0]', [1, 2]],
    ['$.nothing', null],
    ['$.zero', 0],
  ];
  for (const [path, value] of found) {
    test(`finds ${JSON.stringify(value)} at ${path}`, () => {
      assert.deepEqual(evaluateJsonPath(doc, path), { found: true, value });
    });
  }

  const missing = ['$.nope', '$.a.b.c', '$.a.list[2]', '$.a.list[-3]', '$.a[0]', '$.a.list.b', '$.type.length', '$.nothing.x', '$.a.constructor', '$.a.list.length'];
  for (const path of missing) {
    test(`reports ${path} as not found`, () => {
      assert.deepEqual(evaluateJsonPath(doc, path), { found: false, value: undefined });
    });
  }

  test('accepts a path parsed once', () => {
    const segments = parseJsonPath('$.a.list[1].b');
    assert.deepEqual(segments, ['a', 'list', 1, 'b']);
    assert.equal(evaluateJsonPath(doc, segments).value, 'second');
  });

  test('finds nothing below primitives and in non-JSON input', () => {
    assert.equal(evaluateJsonPath('text', '$.a').found, false);
    assert.equal(evaluateJsonPath(undefined, '$.a').found, false);
    assert.deepEqual(evaluateJsonPath(7, '$'), { found: true, value: 7 });
  });
});

describe('checkJsonPath', () => {
  const invalid = ['a.b', '$.', '$..a', '$[', '$[x]', "$['a'", '$["a]', '$.a[1', '$a', '$[*]', '$.a[0:2]'];
  for (const path of invalid) {
    test(`rejects ${path}`, () => {
      assert.match(checkJsonPath(path) ?? '', /^invalid JSONPath: /);
      assert.throws(() => parseJsonPath(path), { name: 'JsonPathSyntaxError' });
    });
  }
  test('accepts every supported form', () => {
    for (const path of ['$', '$.a', '$.a.b', '$.a[0].b', "$['a']", '$["a"]', '$[0][1]', '$.a[-1]']) {
      assert.equal(checkJsonPath(path), undefined, path);
    }
  });
});
