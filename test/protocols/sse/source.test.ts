import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SseSpec } from '../../../src/mocks/types.ts';
import { compileSequence, eventId, findResumeIndex, type EventSequence } from '../../../src/protocols/sse/source.ts';
import type { TemplateContext } from '../../../src/templating/index.ts';

const ctx: TemplateContext = { request: { method: 'GET', path: '/feed', query: { room: 'blue' }, headers: { 'x-user': 'ann' } } };

function take(sequence: EventSequence, n: number): { type?: string; id?: string; data: string }[] {
  const out = [];
  for (let i = 0; i < Math.min(n, sequence.length); i++) {
    const e = sequence.at(i);
    out.push({ ...(e.type !== undefined && { type: e.type }), ...(e.id !== undefined && { id: e.id }), data: e.renderData(ctx) });
  }
  return out;
}

describe('SSE event sources (contract §4)', () => {
  test('sends events[] once, in order, with data templated from the request', () => {
    const seq = compileSequence({ events: [{ type: 'a', id: 'x', data: 'room {{request.query.room}}' }, { data: { user: '{{request.header.X-User}}', n: 1 } }] });
    assert.equal(seq.length, 2);
    assert.deepEqual(take(seq, 5), [{ type: 'a', id: 'x', data: 'room blue' }, { data: '{"user":"ann","n":1}' }]);
  });

  test('numbers a sequence from start by increment through its format, without end by default', () => {
    const seq = compileSequence({ generator: { type: 'sequence', sequence: { start: 10, increment: 5, format: 'tick-%d' } } });
    assert.equal(seq.length, Infinity);
    assert.deepEqual(take(seq, 3), [{ data: 'tick-10' }, { data: 'tick-15' }, { data: 'tick-20' }]);
    assert.equal(seq.at(1000).renderData(ctx), 'tick-5010');
  });

  test('numbers a sequence 1, 2, 3 as plain %d by default', () => {
    assert.deepEqual(take(compileSequence({ generator: { type: 'sequence' } }), 3), [{ data: '1' }, { data: '2' }, { data: '3' }]);
  });

  test('bounds a generator by count', () => {
    const seq = compileSequence({ generator: { type: 'sequence', count: 3 } });
    assert.equal(seq.length, 3);
  });

  test('renders the random schema with numeric results as numbers', () => {
    const seq = compileSequence({ generator: { type: 'random', count: 2, random: { schema: { n: '{{random.int(5,5)}}', id: '{{uuid}}', s: 'x{{random.int(1,1)}}' } } } });
    assert.equal(seq.length, 2);
    const data = JSON.parse(seq.at(0).renderData(ctx));
    assert.equal(data.n, 5);
    assert.match(data.id, /^[0-9a-f-]{36}$/);
    assert.equal(data.s, 'x1');
    assert.notEqual(JSON.parse(seq.at(1).renderData(ctx)).id, data.id);
  });

  const templates: { name: string; spec: SseSpec; length: number }[] = [
    { name: 'sends a template once by default', spec: { generator: { type: 'template', template: { events: [{ data: 'a' }, { data: 'b' }] } } }, length: 2 },
    { name: 'sends a template exactly repeat times', spec: { generator: { type: 'template', template: { events: [{ data: 'a' }, { data: 'b' }], repeat: 3 } } }, length: 6 },
    { name: 'repeats a template forever with repeat 0', spec: { generator: { type: 'template', template: { events: [{ data: 'a' }], repeat: 0 } } }, length: Infinity },
    { name: 'cuts a repeating template at count', spec: { generator: { type: 'template', count: 5, template: { events: [{ data: 'a' }, { data: 'b' }], repeat: 0 } } }, length: 5 },
    { name: 'holds nothing for an empty template, even forever', spec: { generator: { type: 'template', template: { events: [], repeat: 0 } } }, length: 0 },
  ];
  for (const c of templates) {
    test(c.name, () => assert.equal(compileSequence(c.spec).length, c.length));
  }

  test('cycles template events in order', () => {
    const seq = compileSequence({ generator: { type: 'template', template: { events: [{ type: 't', data: 'a' }, { data: 'b' }], repeat: 2 } } });
    assert.deepEqual(take(seq, 10), [{ type: 't', data: 'a' }, { data: 'b' }, { type: 't', data: 'a' }, { data: 'b' }]);
  });
});

describe('SSE resume ids (contract §4 resume)', () => {
  const seq = compileSequence({ events: [{ data: 'a' }, { id: 'x', data: 'b' }, { data: 'c' }] });

  test('gives an event without id the id index + 1 when resume is on, and none when off', () => {
    assert.equal(eventId(seq.at(0), 0, true), '1');
    assert.equal(eventId(seq.at(1), 1, true), 'x');
    assert.equal(eventId(seq.at(2), 2, true), '3');
    assert.equal(eventId(seq.at(0), 0, false), undefined);
  });

  const resumes: [string, number][] = [
    ['1', 1],
    ['x', 2],
    ['3', 3],
    ['2', 0],
    ['nope', 0],
    ['', 0],
  ];
  for (const [lastId, index] of resumes) {
    test(`starts after Last-Event-ID ${JSON.stringify(lastId)} at index ${index}`, () => assert.equal(findResumeIndex(seq, lastId), index));
  }

  test('resumes an unbounded sequence far in without scanning from the start', () => {
    const infinite = compileSequence({ generator: { type: 'sequence' } });
    assert.equal(findResumeIndex(infinite, '5000000'), 5000000);
  });

  test('resumes a repeating template after the first event with a repeated explicit id', () => {
    const rep = compileSequence({ generator: { type: 'template', template: { events: [{ id: 'a', data: '1' }, { id: 'b', data: '2' }], repeat: 0 } } });
    assert.equal(findResumeIndex(rep, 'b'), 2);
    assert.equal(findResumeIndex(rep, 'zzz'), 0);
  });
});
