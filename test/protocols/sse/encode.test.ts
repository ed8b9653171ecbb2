import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeEvent, KEEPALIVE, PREAMBLE, toDataText, type WireEvent } from '../../../src/contract/sse-wire.ts';

describe('SSE wire format (contract §4)', () => {
  test('starts every stream with a retry line and keeps alive with a comment', () => {
    assert.equal(PREAMBLE, 'retry: 3000\n\n');
    assert.equal(KEEPALIVE, ': keepalive\n\n');
  });

  const cases: { name: string; event: WireEvent; wire: string }[] = [
    { name: 'writes a bare data event', event: { data: 'hello' }, wire: 'data:hello\n\n' },
    {
      name: 'writes comment, event, id and retry before data, with no space after the colon',
      event: { comment: 'note', type: 'update', id: '7', retry: 50, data: '{"n":1}' },
      wire: ': note\nevent:update\nid:7\nretry:50\ndata:{"n":1}\n\n',
    },
    { name: 'writes one data line per line of data', event: { data: 'a\nb\n' }, wire: 'data:a\ndata:b\ndata:\n\n' },
    { name: 'treats CRLF and CR in data as line breaks', event: { data: 'a\r\nb\rc' }, wire: 'data:a\ndata:b\ndata:c\n\n' },
    { name: 'writes one comment line per line of comment', event: { comment: 'x\r\ny', data: '' }, wire: ': x\n: y\ndata:\n\n' },
    { name: 'leaves out an empty type and comment', event: { type: '', comment: '', data: 'd' }, wire: 'data:d\n\n' },
    { name: 'writes an empty id, which resets the last event id', event: { id: '', data: 'd' }, wire: 'id:\ndata:d\n\n' },
    { name: 'drops line breaks from type and id so they cannot start a field', event: { type: 'a\nb', id: '1\r2', data: 'd' }, wire: 'event:ab\nid:12\ndata:d\n\n' },
    { name: 'writes retry 0', event: { retry: 0, data: 'd' }, wire: 'retry:0\ndata:d\n\n' },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(encodeEvent(c.event), c.wire));
  }

  const data: [unknown, string][] = [
    ['text', 'text'],
    [{ n: 1, s: [1, 'a'] }, '{"n":1,"s":[1,"a"]}'],
    [42, '42'],
    [true, 'true'],
    [null, 'null'],
  ];
  for (const [value, text] of data) {
    test(`sends ${JSON.stringify(value)} data as ${JSON.stringify(text)}`, () => assert.equal(toDataText(value), text));
  }
});
