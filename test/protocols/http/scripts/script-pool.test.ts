import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { HttpScriptPool, type ScriptJob } from '../../../../src/protocols/http/scripts/script-pool.ts';

const job = (mockId: string, source: string, timeoutMs = 300): ScriptJob => ({ mockId, source, input: '{"path":"/x"}', timeoutMs });

async function timed<T>(work: Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await work;
  return [value, performance.now() - start];
}

function createPool(t: { after(fn: () => unknown): void }, options?: ConstructorParameters<typeof HttpScriptPool>[0]) {
  const pool = new HttpScriptPool(options);
  t.after(() => pool.destroy());
  return pool;
}

/** A pool whose threads are up: a thread's start counts against a script's timeout, and timings here are the point. */
async function createWarmPool(t: { after(fn: () => unknown): void }, options?: ConstructorParameters<typeof HttpScriptPool>[0]) {
  const pool = createPool(t, options);
  assert.equal((await pool.run(job('warm-up', 'return {}', 10_000))).kind, 'result');
  return pool;
}

describe('HttpScriptPool', () => {
  test('starts no thread until it is warmed or used', async (t) => {
    const pool = createPool(t);
    assert.equal(pool.threadCount, 0);
    assert.deepEqual(await pool.run(job('a', 'return { body: request.path }', 10_000)), { kind: 'result', body: '/x' });
    assert.ok(pool.threadCount >= 1);
  });

  test('answers a busy loop with a timeout after timeoutMs, and the next script still runs', async (t) => {
    const pool = await createWarmPool(t);
    const [outcome, ms] = await timed(pool.run(job('loop', 'while (true) {}', 300)));
    assert.deepEqual(outcome, { kind: 'timeout' });
    assert.ok(ms >= 290 && ms < 1000, `took ${ms} ms`);
    assert.deepEqual(await pool.run(job('after', 'return { body: "ok" }')), { kind: 'result', body: 'ok' });
  });

  test('interrupts a busy loop that starts after an await, and a getter that spins', async (t) => {
    const pool = await createWarmPool(t);
    assert.deepEqual(await pool.run(job('a', 'await null; for (;;) {}')), { kind: 'timeout' });
    assert.deepEqual(await pool.run(job('b', 'return { get body() { for (;;) {} } }')), { kind: 'timeout' });
    // Both threads were just replaced; a replacement's start counts against a timeout, so this one is generous.
    assert.deepEqual(await pool.run(job('a', 'return { body: "same mock, new script" }', 10_000)), { kind: 'result', body: 'same mock, new script' });
  });

  test('answers a promise that never settles at timeoutMs without holding a thread', async (t) => {
    const pool = await createWarmPool(t, { minThreads: 1, maxThreads: 1 });
    const stuck = timed(pool.run(job('never', 'await new Promise(() => {})', 400)));
    // The only thread is free again at once: this one runs while the first is still waiting for its deadline.
    const [quick, quickMs] = await timed(pool.run(job('quick', 'return { body: "free" }', 5000)));
    assert.deepEqual(quick, { kind: 'result', body: 'free' });
    const [outcome, ms] = await stuck;
    assert.deepEqual(outcome, { kind: 'timeout' });
    assert.ok(quickMs < ms, `quick ${quickMs} ms, stuck ${ms} ms`);
    assert.ok(ms >= 390, `took ${ms} ms`);
  });

  test('keeps running other scripts while one spins', async (t) => {
    const pool = await createWarmPool(t);
    await Promise.all([pool.run(job('warm-1', 'return {}', 10_000)), pool.run(job('warm-2', 'return {}', 10_000))]);
    const spinning = pool.run(job('spin', 'for (;;) {}', 1500));
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const [outcome, ms] = await timed(pool.run(job('other', `return { body: "${i}" }`)));
      assert.deepEqual(outcome, { kind: 'result', body: String(i) });
      times.push(ms);
    }
    assert.ok(Math.max(...times) < 500, `latencies ${times.map((n) => n.toFixed(1)).join(', ')}`);
    assert.deepEqual(await spinning, { kind: 'timeout' });
  });

  test('terminates a thread whose script cannot be interrupted and replaces it', async (t) => {
    const filename = fileURLToPath(new URL('./uninterruptible-task.mjs', import.meta.url));
    const pool = createPool(t, { minThreads: 1, maxThreads: 1, filename });
    const before = await pool.run(job('id', 'id', 10_000));
    const [outcome, ms] = await timed(pool.run(job('spin', 'spin', 200)));
    assert.deepEqual(outcome, { kind: 'timeout' });
    assert.ok(ms < 1000, `took ${ms} ms`);
    const after = await pool.run(job('id', 'id', 5000));
    assert.equal(after.kind, 'result');
    assert.notEqual((after as { body: string }).body, (before as { body: string }).body, 'a new thread answers');
  });

  test('answers with an error once destroyed', async (t) => {
    const pool = createPool(t);
    await pool.destroy();
    assert.deepEqual(await pool.run(job('a', 'return {}')), { kind: 'error', message: 'server is shutting down' });
  });
});
