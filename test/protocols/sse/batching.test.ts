// Events with no wait before them go out in batches (stream.ts): the same bytes, counters and journal entries as one
// write per event, but one write per batch of at most 64, a turn between batches, and a stop at back-pressure.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { SseSpec } from '../../../src/mocks/types.ts';
import { encodeEvent, PREAMBLE, type WireEvent } from '../../../src/contract/sse-wire.ts';
import { compilePlan } from '../../../src/protocols/sse/plan.ts';
import { SseStream } from '../../../src/protocols/sse/stream.ts';
import { deferred, within } from '../../helpers/wait.ts';

/** Records every write as its own chunk; `full` makes writes report back-pressure until `drain()`. */
class ChunkedResponse extends EventEmitter {
  chunks: string[] = [];
  writableEnded = false;
  destroyed = false;
  socket = null;
  full = false;
  writeHead() {
    return this;
  }
  flushHeaders() {}
  write(text: string, cb: (err?: Error | null) => void): boolean {
    this.chunks.push(text);
    this.emit('wrote');
    process.nextTick(cb);
    return !this.full;
  }
  drain() {
    this.full = false;
    this.emit('drain');
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
  get text() {
    return this.chunks.join('');
  }
}

function startStream(spec: SseSpec, t: { after(fn: () => unknown): void }, setup: (res: ChunkedResponse) => void = () => {}) {
  const res = new ChunkedResponse();
  setup(res);
  const books = { bytes: 0, events: 0, sent: [] as WireEvent[] };
  const end = deferred();
  const stream = new SseStream(res as unknown as ServerResponse, { plan: compilePlan(spec), context: {}, startIndex: 0 }, {
    wrote: (bytes, events) => {
      books.bytes += bytes;
      books.events += events;
    },
    writeFailed: () => {},
    closing: () => {},
    ended: () => end.resolve(),
    sent: (wire) => books.sent.push(wire),
  });
  t.after(() => stream.close('shutdown'));
  stream.start();
  return { res, books, ended: () => within(end.promise, 'the end of the stream'), stream };
}

async function until(res: ChunkedResponse, predicate: () => boolean): Promise<void> {
  const signal = AbortSignal.timeout(3000);
  while (!predicate()) await once(res, 'wrote', { signal });
}

/** `n` events of the sequence generator as one write per event would put them on the wire. */
function expectedText(n: number, first = 1): string {
  let out = PREAMBLE;
  for (let i = 0; i < n; i++) out += encodeEvent({ data: String(first + i) });
  return out;
}

describe('an SSE stream with no wait between events', () => {
  test('writes the same bytes, counters and journal entries as one write per event, in writes of at most 64 events', async (t) => {
    const { res, books, ended } = startStream({ generator: { type: 'sequence', count: 200 } }, t);
    await ended();
    assert.equal(res.text, expectedText(200));
    // Preamble, then 64 + 64 + 64 + 8 events.
    assert.deepEqual(res.chunks.map((c) => c.split('\n\n').length - 1), [1, 64, 64, 64, 8]);
    assert.equal(books.events, 200);
    assert.equal(books.bytes, Buffer.byteLength(res.text));
    assert.deepEqual(books.sent.map((w) => w.data), Array.from({ length: 200 }, (_, i) => String(i + 1)));
  });

  test('sends the first event during start, right behind the preamble', (t) => {
    const { res } = startStream({ generator: { type: 'sequence' } }, t);
    assert.equal(res.chunks[0], PREAMBLE);
    assert.ok(res.chunks[1]?.startsWith('data:1\n\n'), `second write: ${JSON.stringify(res.chunks[1])}`);
  });

  test('yields an event-loop turn between batches', async (t) => {
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    t.after(() => (ticking = false));
    const turns: number[] = [];
    const { res, ended } = startStream({ generator: { type: 'sequence', count: 300 } }, t, (r) => r.on('wrote', () => turns.push(turn)));
    await ended();
    const eventTurns = turns.slice(1, res.chunks.length);
    assert.equal(eventTurns.length, 5);
    for (let i = 1; i < eventTurns.length; i++) assert.ok(eventTurns[i]! > eventTurns[i - 1]!, `writes in turns ${eventTurns.join(',')}`);
  });

  test('stops at back-pressure and goes on after drain', async (t) => {
    const { res, books } = startStream({ generator: { type: 'sequence', count: 100 } }, t, (r) => (r.full = true));
    // The first batch got `false` back. A stream that ignored it would write its next batch one turn later; after two
    // turns nothing more may have been written.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.equal(res.chunks.length, 2);
    assert.equal(books.events, 64);
    res.drain();
    await until(res, () => books.events === 100);
    assert.equal(res.text, expectedText(100));
  });

  test('ends a batch at maxEvents', async (t) => {
    const { res, books, ended } = startStream({ generator: { type: 'sequence' }, lifecycle: { maxEvents: 10 } }, t);
    await ended();
    assert.equal(res.text, expectedText(10));
    assert.equal(books.events, 10);
  });

  test('ends a batch at the first event that has a wait before it', async (t) => {
    const { res, ended } = startStream({ generator: { type: 'sequence', count: 5 }, timing: { perEventDelays: [0, 0, 0, 20, 0] } }, t);
    await ended();
    assert.equal(res.text, expectedText(5));
    assert.deepEqual(res.chunks.slice(1).map((c) => c.split('\n\n').length - 1), [3, 2]);
  });
});
