// One stream against a scripted response object: what a real socket cannot show on demand (a failing write, every
// timer gone after each way of ending, keepalives on a short interval).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { SseSpec } from '../../../src/mocks/types.ts';
import type { CloseReason } from '../../../src/contract/protocols.ts';
import { compilePlan, type SsePlan } from '../../../src/protocols/sse/plan.ts';
import { SseStream } from '../../../src/protocols/sse/stream.ts';
import { deferred, within } from '../../helpers/wait.ts';

class ScriptedResponse extends EventEmitter {
  text = '';
  writableEnded = false;
  destroyed = false;
  socket = null;
  failWrites = false;
  writeHead() {
    return this;
  }
  flushHeaders() {}
  write(text: string, cb: (err?: Error | null) => void): boolean {
    if (this.failWrites) {
      process.nextTick(cb, Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      return false;
    }
    this.text += text;
    this.emit('wrote');
    process.nextTick(cb);
    return true;
  }
  end() {
    this.writableEnded = true;
    process.nextTick(() => {
      this.emit('finish');
      this.emit('close');
    });
  }
  destroy() {
    this.destroyed = true;
    process.nextTick(() => this.emit('close'));
  }
}

function startStream(spec: SseSpec, override: Partial<SsePlan> = {}) {
  const res = new ScriptedResponse();
  const books = { bytes: 0, events: 0, writeErrors: 0, closing: false, reasons: [] as CloseReason[] };
  const end = deferred<CloseReason>();
  const stream = new SseStream(res as unknown as ServerResponse, { plan: { ...compilePlan(spec), ...override }, context: {}, startIndex: 0 }, {
    wrote: (bytes, events) => {
      books.bytes += bytes;
      books.events += events;
    },
    writeFailed: () => books.writeErrors++,
    closing: () => (books.closing = true),
    ended: (reason) => {
      books.reasons.push(reason);
      end.resolve(reason);
    },
  });
  Object.assign(books, { stream });
  stream.start();
  return { res, books: books as typeof books & { stream: SseStream }, ended: () => within(end.promise, 'the end of the stream') };
}

async function until(res: ScriptedResponse, predicate: () => boolean): Promise<void> {
  const signal = AbortSignal.timeout(3000);
  while (!predicate()) await once(res, 'wrote', { signal });
}

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'Immediate').length;
}

const forever: SseSpec = { generator: { type: 'sequence' }, timing: { fixedDelay: 10 } };

describe('an SSE stream', () => {
  test('counts a failed write as a connection error and drops the connection', async () => {
    const { res, books, ended } = startStream(forever);
    await until(res, () => res.text.includes('data:2\n'));
    res.failWrites = true;
    assert.equal(await ended(), 'client');
    assert.equal(books.writeErrors, 1);
    assert.equal(res.destroyed, true);
  });

  test('writes a keepalive comment every interval and counts its bytes but not as an event', async () => {
    const { res, books } = startStream({ events: [{ data: 'x', delay: 60_000 }] }, { keepaliveMs: 20 });
    await until(res, () => res.text.split(': keepalive\n\n').length >= 3);
    assert.equal(res.text, 'retry: 3000\n\n: keepalive\n\n: keepalive\n\n');
    assert.equal(books.bytes, Buffer.byteLength(res.text));
    assert.equal(books.events, 0);
    await books.stream.close('admin');
  });

  const endings: { name: string; spec: SseSpec; override?: Partial<SsePlan>; end?: (s: ReturnType<typeof startStream>) => void; reason: CloseReason }[] = [
    { name: 'the source runs out', spec: { events: [{ data: 'a' }], lifecycle: { termination: { closeDelay: 5 } } }, reason: 'server' },
    { name: 'maxEvents are sent', spec: { ...forever, lifecycle: { maxEvents: 2 } }, reason: 'server' },
    { name: 'the connection timeout passes', spec: forever, override: { connectionTimeoutMs: 40 }, reason: 'server' },
    { name: 'it ends abruptly', spec: { events: [{ data: 'a' }], lifecycle: { termination: { type: 'abrupt' } } }, reason: 'server' },
    { name: 'it ends with an error event', spec: { events: [{ data: 'a' }], lifecycle: { termination: { type: 'error' } } }, reason: 'server' },
    { name: 'an admin closes it', spec: forever, end: (s) => void s.books.stream.close('admin'), reason: 'admin' },
    { name: 'an admin closes it during the close delay', spec: { events: [{ data: 'a' }], lifecycle: { termination: { closeDelay: 60_000 } } }, end: (s) => void s.books.stream.close('admin'), reason: 'admin' },
    { name: 'the client goes away', spec: forever, end: (s) => s.res.destroy(), reason: 'client' },
  ];
  for (const e of endings) {
    test(`clears every timer when ${e.name}`, async () => {
      const before = activeTimers();
      const s = startStream(e.spec, { keepaliveMs: 60_000, connectionTimeoutMs: 60_000, ...e.override });
      await until(s.res, () => s.res.text.includes('data:'));
      e.end?.(s);
      assert.equal(await s.ended(), e.reason);
      assert.equal(s.books.closing || e.reason === 'client', true);
      await new Promise((r) => setImmediate(r));
      assert.equal(activeTimers(), before);
      assert.deepEqual(s.books.reasons, [e.reason]);
    });
  }
});
