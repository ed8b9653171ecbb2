import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { filtersOverlap, isFilterWithin, matchesFilter } from '../../../src/protocols/mqtt/topic-filter.ts';

describe('matchesFilter', () => {
  const cases: [filter: string, topic: string, expected: boolean][] = [
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/b', 'a/b/c', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/+', 'a', false],
    ['+/+', '/x', true],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['a/#', 'ab', false],
    ['#', 'anything/at/all', true],
    ['#', '$SYS/broker', false],
    ['+/broker', '$SYS/broker', false],
    ['$SYS/#', '$SYS/broker', true],
    ['a//b', 'a//b', true],
    ['a/+/b', 'a//b', true],
  ];
  for (const [filter, topic, expected] of cases) {
    test(`${filter} ${expected ? 'matches' : 'does not match'} ${topic}`, () => {
      assert.equal(matchesFilter(filter, topic), expected);
    });
  }
});

describe('isFilterWithin', () => {
  const cases: [inner: string, outer: string, expected: boolean][] = [
    ['a/b', 'a/b', true],
    ['a/b', 'a/+', true],
    ['a/+', 'a/+', true],
    ['a/+', 'a/b', false],
    ['a/b/c', 'a/#', true],
    ['a/#', 'a/#', true],
    ['a', 'a/#', true],
    ['a/#', 'a/+', false],
    ['a/#', 'a', false],
    ['#', 'a/#', false],
    ['a/+/c', 'a/#', true],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
    ['$SYS/x', '#', false],
  ];
  for (const [inner, outer, expected] of cases) {
    test(`${inner} ${expected ? 'lies' : 'does not lie'} within ${outer}`, () => {
      assert.equal(isFilterWithin(inner, outer), expected);
    });
  }
});

describe('filtersOverlap', () => {
  const cases: [x: string, y: string, expected: boolean][] = [
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['a/+', 'a/b', true],
    ['+/b', 'a/+', true],
    ['#', 'secret/x', true],
    ['a/#', 'a', true],
    ['a/#', 'b/#', false],
    ['a/+', 'a/b/c', false],
    ['a/+/c', 'a/b/#', true],
    ['#', '$SYS/x', false],
  ];
  for (const [x, y, expected] of cases) {
    test(`${x} and ${y} ${expected ? 'overlap' : 'do not overlap'}`, () => {
      assert.equal(filtersOverlap(x, y), expected);
      assert.equal(filtersOverlap(y, x), expected);
    });
  }
});
