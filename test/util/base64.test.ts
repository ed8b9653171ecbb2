import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBase64 } from '../../src/util/base64.ts';

const CASES: [string, boolean][] = [
  ['', true],
  ['aGk=', true],
  ['aGVsbG8=', true],
  ['AAEC/w==', true],
  ['+/+/', true],
  ['aGk', false], // not padded
  ['aGk==', false], // length not a multiple of 4
  ['aG=k', false], // padding inside
  ['a===', false],
  ['aGVs bG8=', false],
  ['-_-_', false], // URL-safe alphabet is not standard base64
  ['!!!!', false],
];

for (const [value, expected] of CASES) {
  test(`isBase64("${value}") is ${expected}`, () => {
    assert.equal(isBase64(value), expected);
  });
}
