// The pool counters that make caps hold for a worker pool as a whole (src/protocols/pool-counts.ts): taking a slot is
// one atomic step across threads, so members hammering the last slot at once never pass the cap.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { spawnWorker } from '../../src/coordinator/spawn.ts';
import { PoolCounter } from '../../src/protocols/pool-counts.ts';
import { CAP_REGION } from '../../src/contract/caps.ts';
import { nextEvent } from '../helpers/wait.ts';

const HAMMER = fileURLToPath(new URL('../fixtures/pool-counts/hammer.ts', import.meta.url));

describe('PoolCounter', () => {
  test('takes up to the cap and refuses past it, counting in its own slot and in the total', () => {
    const counts = new Int32Array(3 * CAP_REGION);
    const a = new PoolCounter(counts, 5, 2 * CAP_REGION + 5);
    const b = new PoolCounter(counts, CAP_REGION + 5, 2 * CAP_REGION + 5);
    assert.equal(a.tryTake(2), true);
    assert.equal(b.tryTake(2), true);
    assert.equal(a.tryTake(2), false);
    assert.equal(b.value, 2);
    b.add(-1);
    assert.equal(a.tryTake(2), true);
    assert.deepEqual([counts[5], counts[CAP_REGION + 5], counts[2 * CAP_REGION + 5]], [2, 0, 2]);
  });

  test('never lets two threads taking the last slot at once pass the cap', async (t) => {
    const buffer = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT * CAP_REGION);
    const total = 2 * CAP_REGION;
    const members = [0, 1].map((m) =>
      spawnWorker(HAMMER, { workerData: { buffer, own: m * CAP_REGION, total, member: m, max: 1, rounds: 1_000_000 } }),
    );
    t.after(() => Promise.all(members.map((w) => w.terminate())));
    const results = await Promise.all(members.map(async (w) => (await nextEvent(w, 'message', 'a hammering thread to finish', 60_000))[0] as { taken: number; over: number }));
    assert.deepEqual(results.map((r) => r.over), [0, 0], `the total was seen above the cap: ${JSON.stringify(results)}`);
    assert.ok(results.every((r) => r.taken > 0), `both threads took the slot: ${JSON.stringify(results)}`);
    const counts = new Int32Array(buffer);
    assert.deepEqual([counts[0], counts[CAP_REGION], counts[total]], [0, 0, 0], 'every slot given back');
  });
});
