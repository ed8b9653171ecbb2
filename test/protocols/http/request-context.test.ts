import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildScriptInput, buildTemplateContext, type RequestInfo } from '../../../src/protocols/mock-port/request-context.ts';

const info = (rawBody: string): RequestInfo => ({
  method: 'POST',
  path: '/a',
  url: '/a?x=1&x=2&y=3',
  query: new URLSearchParams('x=1&x=2&y=3'),
  rawBody,
});

describe('buildScriptInput (contract §3.4)', () => {
  test('gives first query values, one string per header, and the parsed body', () => {
    const input = JSON.parse(buildScriptInput(info('{"a":1}'), { 'x-a': 'b', 'set-cookie': ['c=1', 'd=2'] }, { id: '7' }));
    assert.deepEqual(input, {
      method: 'POST', path: '/a', url: '/a?x=1&x=2&y=3', query: { x: '1', y: '3' },
      headers: { 'x-a': 'b', 'set-cookie': 'c=1, d=2' }, pathParams: { id: '7' }, body: { a: 1 }, rawBody: '{"a":1}',
    });
  });

  for (const raw of ['', 'not json']) {
    test(`gives body null for ${JSON.stringify(raw)}`, () => assert.equal(JSON.parse(buildScriptInput(info(raw), {}, {})).body, null));
  }
});

describe('buildTemplateContext', () => {
  test('exposes repeated query keys as lists', () => {
    const ctx = buildTemplateContext(info(''), {}, {});
    assert.deepEqual({ ...ctx.request!.query }, { x: ['1', '2'], y: '3' });
  });
});
