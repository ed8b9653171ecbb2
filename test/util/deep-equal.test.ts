import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deepEqual } from '../../src/util/deep-equal.ts';

const cases: [string, unknown, unknown, boolean][] = [
  ['equal strings', 'a', 'a', true],
  ['a number and its string', 1, '1', false],
  ['null and null', null, null, true],
  ['null and an empty object', null, {}, false],
  ['null and undefined', null, undefined, false],
  ['true and 1', true, 1, false],
  ['objects with keys in another order', { a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
  ['objects with a different value deep down', { a: { b: [1, 2] } }, { a: { b: [1, 3] } }, false],
  ['an object with an extra key', { a: 1 }, { a: 1, b: 2 }, false],
  ['objects whose keys differ at equal counts', { a: 1 }, { b: 1 }, false],
  ['arrays in another order', [1, 2], [2, 1], false],
  ['arrays of different length', [1], [1, 1], false],
  ['an array and an object with index keys', [1], { 0: 1 }, false],
  ['empty array and empty object', [], {}, false],
  ['NaN and NaN', NaN, NaN, true],
];

for (const [name, a, b, expected] of cases) {
  test(`deepEqual is ${expected} for ${name}`, () => {
    assert.equal(deepEqual(a, b), expected);
    assert.equal(deepEqual(b, a), expected);
  });
}
