// The journal's fixed-capacity ring (src/journal/ring.ts): oldest first, the oldest dropped once full, and the item
// the next push will drop, which the recorder refills in place instead of allocating.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ring } from '../../src/journal/ring.ts';

describe('Ring', () => {
  test('keeps the newest items, oldest first', () => {
    const ring = new Ring<number>(3);
    for (const n of [1, 2, 3, 4, 5]) ring.push(n);
    assert.deepEqual([...ring], [3, 4, 5]);
  });

  test('names no evictee until full, then the oldest item', () => {
    const ring = new Ring<{ n: number }>(2);
    const a = { n: 1 };
    const b = { n: 2 };
    ring.push(a);
    assert.equal(ring.evictee, undefined);
    ring.push(b);
    assert.equal(ring.evictee, a);
    a.n = 3;
    ring.push(a);
    assert.deepEqual([...ring].map((x) => x.n), [2, 3]);
    assert.equal(ring.evictee, b);
  });

  test('of capacity 0 keeps nothing and names no evictee', () => {
    const ring = new Ring<number>(0);
    ring.push(1);
    assert.deepEqual([...ring], []);
    assert.equal(ring.evictee, undefined);
  });
});
