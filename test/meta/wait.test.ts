// The bounded waits of test/helpers/wait.ts: each fails within its bound, naming what did not happen.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { deferred, fetchWithTimeout, nextEvent, processExit, readToEnd, streamEnd, within } from '../helpers/wait.ts';

/** Asserts that the wait `start` begins rejects with `message` after about `ms` (not at once, not much later). */
async function rejectsAfter(start: () => Promise<unknown>, ms: number, message: RegExp): Promise<void> {
  const started = performance.now();
  await assert.rejects(start(), message);
  const took = performance.now() - started;
  // Timers may fire a few ms early against performance.now(); the point is "not at once, and not much later".
  assert.ok(took >= ms * 0.8 && took < ms + 2000, `rejected after ${took.toFixed(0)} ms`);
}

describe('bounded waits', () => {
  test('within() passes a result through and rejects naming what did not happen', async () => {
    assert.equal(await within(Promise.resolve(7), 'seven'), 7);
    await rejectsAfter(() => within(deferred().promise, 'the thing', 100), 100, /^Error: the thing did not happen within 100 ms$/);
  });

  test('nextEvent() returns the event arguments, and rejects naming the event', async () => {
    const emitter = new EventEmitter();
    const next = nextEvent(emitter, 'ping');
    emitter.emit('ping', 1, 2);
    assert.deepEqual(await next, [1, 2]);
    await rejectsAfter(() => nextEvent(emitter, 'pong', "the server's pong", 100), 100, /the server's pong did not happen within 100 ms/);
  });

  test('streamEnd() and readToEnd() wait for the end of a stream, and reject when it never comes', async () => {
    const ends = new PassThrough();
    const ended = streamEnd(ends);
    ends.resume();
    ends.end('x');
    await ended;
    await rejectsAfter(() => streamEnd(new PassThrough().resume(), 'the log to end', 100), 100, /the log to end did not happen within 100 ms/);

    const body = new Response('all of it').body!;
    assert.equal(await readToEnd(body), 'all of it');
    const endless = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('part')) });
    await rejectsAfter(() => readToEnd(endless, 'the body to end', 100), 100, /the body to end did not happen within 100 ms/);
  });

  test('processExit() gives the exit code, and rejects for a process that does not exit', async (t) => {
    const quick = spawn(process.execPath, ['-e', 'process.exit(3)']);
    assert.deepEqual(await processExit(quick), { code: 3, signal: null });
    assert.deepEqual(await processExit(quick), { code: 3, signal: null }, 'at once for a process that has exited');
    const stuck = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    t.after(() => stuck.kill('SIGKILL'));
    await rejectsAfter(() => processExit(stuck, 'the stuck process to exit', 300), 300, /the stuck process to exit did not happen within 300 ms/);
  });

  test('fetchWithTimeout() rejects naming the request when the server never answers', async (t) => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s)).listen(0, '127.0.0.1');
    t.after(() => {
      for (const s of sockets) s.destroy();
      silent.close();
    });
    await nextEvent(silent, 'listening');
    const { port } = silent.address() as { port: number };
    const url = `http://127.0.0.1:${port}/never`;
    await rejectsAfter(() => fetchWithTimeout(url, { timeoutMs: 200 }), 200, new RegExp(`GET ${url} got no complete answer within 200 ms`));
  });
});
