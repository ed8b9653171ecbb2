// SSE mocks on the wire (contract §4): exact bytes, sources, timing, lifecycle and resume, against a real mockd.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import { startMockd, type Admin } from '../../helpers/mockd.ts';
import type { RunningMockd } from '../../../src/server.ts';
import { openStream, rawGet, sseMock, ticking } from './helpers.ts';
import { fetchWithTimeout } from '../../helpers/wait.ts';

const PRE = 'retry: 3000\n\n';

describe('SSE mocks on the wire', { concurrency: true }, () => {
  let m: RunningMockd & Admin;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    m = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
  });
  after(() => Promise.all(cleanups.map((fn) => fn())));

  test('answers 200 with the SSE headers and the exact bytes of §4, then ends cleanly', async (t) => {
    await m.createMock(
      sseMock('wire_exact', { events: [{ type: 'update', id: '1', data: { n: 1 } }, { comment: 'hi', retry: 50, data: 'two\r\nlines' }, { data: 7 }] }),
    );
    const s = await openStream(t, `${m.mockUrl}/wire_exact`);
    assert.equal(s.response.status, 200);
    assert.equal(s.response.headers.get('content-type'), 'text/event-stream');
    assert.equal(s.response.headers.get('cache-control'), 'no-cache');
    assert.equal(s.response.headers.get('connection'), 'keep-alive');
    assert.equal(s.response.headers.get('x-accel-buffering'), 'no');
    assert.equal(await s.end(), 'end');
    assert.equal(s.text, `${PRE}event:update\nid:1\ndata:{"n":1}\n\n: hi\nretry:50\ndata:two\ndata:lines\n\ndata:7\n\n`);
  });

  test('ends an exhausted stream with the final zero-length chunk', async (t) => {
    await m.createMock(sseMock('wire_chunked', { events: [{ data: 'a' }] }));
    const raw = await rawGet(t, m.mockPort, '/wire_chunked');
    const bytes = await raw.until((b) => b.endsWith('0\r\n\r\n'));
    assert.match(bytes, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(bytes, /\r\ntransfer-encoding: chunked\r\n/i);
    assert.ok(bytes.includes('data:a\n\n'));
  });

  test('templates event data with the request', async (t) => {
    await m.createMock({
      id: 'wire_tpl',
      http: {
        matcher: { method: 'POST', path: '/rooms/{room}' },
        sse: {
          events: [
            { data: '{{request.method}} {{request.path}} {{request.pathParam.room}} {{request.query.k}} {{request.header.X-Who}}' },
            { data: { prompt: '{{request.body.prompt}}', url: '{{request.url}}' } },
          ],
        },
      },
    });
    const res = await fetchWithTimeout(`${m.mockUrl}/rooms/blue?k=v`, {
      method: 'POST',
      headers: { 'x-who': 'ann', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'hello' }),
      signal: AbortSignal.timeout(3000),
    });
    assert.equal(
      await res.text(),
      `${PRE}data:POST /rooms/blue blue v ann\n\ndata:{"prompt":"hello","url":"/rooms/blue?k=v"}\n\n`,
    );
  });

  test('sends sequence events as message events numbered through the format', async () => {
    await m.createMock(sseMock('wire_seq', { generator: { type: 'sequence', count: 3, sequence: { start: 5, increment: 10, format: 'n=%d' } } }));
    const res = await fetchWithTimeout(`${m.mockUrl}/wire_seq`, { signal: AbortSignal.timeout(3000) });
    assert.equal(await res.text(), `${PRE}data:n=5\n\ndata:n=15\n\ndata:n=25\n\n`);
  });

  test('sends random schema values with numeric results as numbers', async () => {
    await m.createMock(
      sseMock('wire_random', { generator: { type: 'random', count: 2, random: { schema: { n: '{{random.int(7,7)}}', s: '{{upper("x")}}' } } } }),
    );
    const res = await fetchWithTimeout(`${m.mockUrl}/wire_random`, { signal: AbortSignal.timeout(3000) });
    assert.equal(await res.text(), `${PRE}data:{"n":7,"s":"X"}\n\ndata:{"n":7,"s":"X"}\n\n`);
  });

  test('sends a template exactly repeat times, then really ends the stream', async (t) => {
    await m.createMock(sseMock('wire_repeat', { generator: { type: 'template', template: { events: [{ data: 'a' }, { type: 'b', data: 'b' }], repeat: 2 } } }));
    const s = await openStream(t, `${m.mockUrl}/wire_repeat`);
    assert.equal(await s.end(), 'end');
    assert.equal(s.text, `${PRE}data:a\n\nevent:b\ndata:b\n\ndata:a\n\nevent:b\ndata:b\n\n`);
  });

  test('waits fixedDelay before each event, in order', async (t) => {
    await m.createMock(sseMock('wire_fixed', { events: [{ data: '1' }, { data: '2' }, { data: '3' }, { data: '4' }], timing: { fixedDelay: 60 } }));
    const started = performance.now();
    const s = await openStream(t, `${m.mockUrl}/wire_fixed`);
    await s.until('data:2\n');
    assert.ok(performance.now() - started >= 110, 'two waits of 60 ms before event 2');
    assert.equal(await s.end(), 'end');
    assert.ok(performance.now() - started >= 230, 'four waits of 60 ms before the end');
    assert.equal(s.text, `${PRE}data:1\n\ndata:2\n\ndata:3\n\ndata:4\n\n`);
  });

  test('sends the retry line at once and waits initialDelay before the first event', async (t) => {
    await m.createMock(sseMock('wire_initial', { events: [{ data: 'a' }], timing: { initialDelay: 200 } }));
    const started = performance.now();
    const s = await openStream(t, `${m.mockUrl}/wire_initial`);
    assert.ok((await s.until(PRE)).startsWith(PRE));
    await s.until('data:a');
    assert.ok(performance.now() - started >= 190);
  });

  test('prefers an event delay over fixedDelay', async (t) => {
    await m.createMock(sseMock('wire_delay', { events: [{ data: 'slow', delay: 250 }, { data: 'fast' }], timing: { fixedDelay: 0 } }));
    const started = performance.now();
    const s = await openStream(t, `${m.mockUrl}/wire_delay`);
    await s.end();
    assert.ok(performance.now() - started >= 240);
    assert.equal(s.text, `${PRE}data:slow\n\ndata:fast\n\n`);
  });

  test('stops at maxEvents and sends the graceful final event', async (t) => {
    await m.createMock(
      sseMock('wire_max', ticking(5, { lifecycle: { maxEvents: 3, termination: { type: 'graceful', finalEvent: { type: 'done', data: { bye: true } } } } })),
    );
    const s = await openStream(t, `${m.mockUrl}/wire_max`);
    assert.equal(await s.end(), 'end');
    assert.equal(s.text, `${PRE}data:tick-1\n\ndata:tick-2\n\ndata:tick-3\n\nevent:done\ndata:{"bye":true}\n\n`);
  });

  test('waits closeDelay after the final event before ending', async (t) => {
    await m.createMock(sseMock('wire_close_delay', { events: [{ data: 'a' }], lifecycle: { termination: { finalEvent: { data: 'bye' }, closeDelay: 200 } } }));
    const started = performance.now();
    const s = await openStream(t, `${m.mockUrl}/wire_close_delay`);
    assert.equal(await s.end(), 'end');
    assert.ok(performance.now() - started >= 190);
    assert.equal(s.text, `${PRE}data:a\n\ndata:bye\n\n`);
  });

  test('ends with event:error and the default data on error termination', async (t) => {
    await m.createMock(sseMock('wire_error', { events: [{ data: 'a' }], lifecycle: { termination: { type: 'error' } } }));
    const s = await openStream(t, `${m.mockUrl}/wire_error`);
    assert.equal(await s.end(), 'end');
    assert.equal(s.text, `${PRE}data:a\n\nevent:error\ndata:{"error":"stream terminated"}\n\n`);
  });

  test('sends finalEvent data in the error event when set', async (t) => {
    await m.createMock(sseMock('wire_error_data', { events: [{ data: 'a' }], lifecycle: { termination: { type: 'error', finalEvent: { data: { code: 42 } } } } }));
    const s = await openStream(t, `${m.mockUrl}/wire_error_data`);
    await s.end();
    assert.equal(s.text, `${PRE}data:a\n\nevent:error\ndata:{"code":42}\n\n`);
  });

  test('destroys the socket with no terminating chunk on abrupt termination', async (t) => {
    await m.createMock(sseMock('wire_abrupt', { events: [{ data: 'a' }, { data: 'b' }], lifecycle: { termination: { type: 'abrupt' } } }));
    const s = await openStream(t, `${m.mockUrl}/wire_abrupt`);
    assert.equal(await s.end(), 'error');
    assert.equal(s.text, `${PRE}data:a\n\ndata:b\n\n`);
    const raw = await rawGet(t, m.mockPort, '/wire_abrupt');
    const bytes = await raw.closed();
    assert.ok(bytes.endsWith('data:b\n\n\r\n'), JSON.stringify(bytes));
  });

  test('ends gracefully once connectionTimeout has passed', async (t) => {
    await m.createMock(sseMock('wire_timeout', ticking(20, { lifecycle: { connectionTimeout: 0.3 } })));
    const started = performance.now();
    const s = await openStream(t, `${m.mockUrl}/wire_timeout`);
    assert.equal(await s.end(), 'end');
    assert.ok(performance.now() - started >= 290);
    assert.ok(s.eventCount >= 3);
  });

  test('sends a keepalive comment every keepaliveInterval seconds', async (t) => {
    await m.createMock(sseMock('wire_keepalive', { events: [{ data: 'late', delay: 60_000 }], lifecycle: { keepaliveInterval: 5 } }));
    const s = await openStream(t, `${m.mockUrl}/wire_keepalive`);
    assert.equal(await s.until(': keepalive\n\n', 6500), `${PRE}: keepalive\n\n`);
  });

  test('answers HEAD with the SSE headers and no body', async () => {
    await m.createMock(sseMock('wire_head', ticking()));
    const res = await fetchWithTimeout(`${m.mockUrl}/wire_head`, { method: 'HEAD', signal: AbortSignal.timeout(3000) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/event-stream');
    assert.equal(await res.text(), '');
  });

  describe('with resume enabled', () => {
    const events = [{ data: 'a' }, { data: 'b' }, { id: 'x', data: 'c' }, { data: 'd' }];

    test('numbers events without an id index + 1', async () => {
      await m.createMock(sseMock('resume_ids', { events, resume: { enabled: true } }));
      const res = await fetchWithTimeout(`${m.mockUrl}/resume_ids`, { signal: AbortSignal.timeout(3000) });
      assert.equal(await res.text(), `${PRE}id:1\ndata:a\n\nid:2\ndata:b\n\nid:x\ndata:c\n\nid:4\ndata:d\n\n`);
    });

    for (const [lastId, expected] of [
      ['2', `${PRE}id:x\ndata:c\n\nid:4\ndata:d\n\n`],
      ['x', `${PRE}id:4\ndata:d\n\n`],
      ['99', `${PRE}id:1\ndata:a\n\nid:2\ndata:b\n\nid:x\ndata:c\n\nid:4\ndata:d\n\n`],
    ] as const) {
      test(`starts after Last-Event-ID ${lastId} (from the beginning when unknown)`, async () => {
        await m.createMock(sseMock(`resume_after_${lastId}`, { events, resume: { enabled: true } }));
        const res = await fetchWithTimeout(`${m.mockUrl}/resume_after_${lastId}`, { headers: { 'Last-Event-ID': lastId }, signal: AbortSignal.timeout(3000) });
        assert.equal(await res.text(), expected);
      });
    }

    test('lets an EventSource carry on where it left off after each reconnect', async (t) => {
      await m.createMock(
        sseMock('resume_es', { events: [{ data: 'a', retry: 20 }, { data: 'b' }, { data: 'c' }, { data: 'd' }], lifecycle: { maxEvents: 2 }, resume: { enabled: true } }),
      );
      const es = new EventSource(`${m.mockUrl}/resume_es`);
      t.after(() => es.close());
      const got: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got only ${JSON.stringify(got)}`)), 3000);
        es.onmessage = (e) => {
          got.push(`${e.lastEventId}=${e.data}`);
          if (got.length === 4) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      assert.deepEqual(got, ['1=a', '2=b', '3=c', '4=d']);
    });
  });

  test('ignores Last-Event-ID when resume is off', async () => {
    await m.createMock(sseMock('resume_off', { events: [{ data: 'a' }, { data: 'b' }] }));
    const res = await fetchWithTimeout(`${m.mockUrl}/resume_off`, { headers: { 'Last-Event-ID': '1' }, signal: AbortSignal.timeout(3000) });
    assert.equal(await res.text(), `${PRE}data:a\n\ndata:b\n\n`);
  });

  test('rejects a broken template in event data with a 400 naming the field', async () => {
    const r = await m.api('/mocks', { method: 'POST', body: sseMock('wire_bad_tpl', { events: [{ data: { a: '{{ upper( }}' } }] }) });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'validation_error');
    assert.equal(r.body.field, 'http.sse.events[0].data.a');
  });
});
