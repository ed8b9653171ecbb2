import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { contentTypeOfText, detectContentType, isBodyless, mergeHeaders, sanitizeHeaderValue } from '../../../src/protocols/http/respond.ts';

describe('Content-Type detection (contract §3.2)', () => {
  const cases: [string, unknown, string | undefined][] = [
    ['a JSON object', { a: 1 }, 'application/json'],
    ['a JSON string value sent as JSON', ['x'], 'application/json'],
    ['text starting with {', '{"a":1}', 'application/json'],
    ['text starting with [ after blanks', ' \t\r\n[1]', 'application/json'],
    ['text starting with <', '<?xml version="1.0"?><a/>', 'application/xml'],
    ['other text', 'hello {', 'text/plain'],
    ['blank text', '   ', 'text/plain'],
    ['the empty body', '', undefined],
  ];
  for (const [name, body, expected] of cases) {
    test(`${expected ?? 'none'} for ${name}`, () => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      assert.equal(detectContentType(body, text), expected);
    });
  }

  const bytes: [string, Buffer, string | undefined][] = [
    ['file bytes starting with { after blanks', Buffer.from('\n\n  {"a":1}'), 'application/json'],
    ['file bytes starting with < after 100 blanks', Buffer.from(' '.repeat(100) + '<a/>'), 'application/xml'],
    ['binary file bytes', Buffer.from([0x00, 0xff, 0x7b]), 'text/plain'],
    ['an empty file', Buffer.alloc(0), undefined],
  ];
  for (const [name, body, expected] of bytes) {
    test(`${expected ?? 'none'} for ${name}`, () => assert.equal(contentTypeOfText(body), expected));
  }
});

describe('mergeHeaders', () => {
  test('puts script headers over the mock headers, names compared ignoring case', () => {
    assert.deepEqual(
      mergeHeaders({ 'Content-Type': 'text/plain', 'X-Keep': 'k' }, [['content-type', 'text/csv'], ['X-New', 'n']]),
      { 'X-Keep': 'k', 'content-type': 'text/csv', 'X-New': 'n' },
    );
  });
});

describe('sanitizeHeaderValue', () => {
  const cases: [string, string][] = [
    ['plain value', 'plain value'],
    ['tab\tkept', 'tab\tkept'],
    ['line\r\nbreak', 'linebreak'],
    ['latin1 é kept', 'latin1 é kept'],
    ['emoji 😀 dropped', 'emoji  dropped'],
    ['nul\u0000', 'nul'],
  ];
  for (const [input, expected] of cases) test(JSON.stringify(input), () => assert.equal(sanitizeHeaderValue(input), expected));
});

test('isBodyless is true for 1xx, 204 and 304 only', () => {
  assert.deepEqual([100, 199, 200, 204, 205, 304, 404].map(isBodyless), [true, true, false, true, false, true, false]);
});
