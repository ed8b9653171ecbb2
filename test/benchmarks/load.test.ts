// The byte-level parsing of the Node load generators: where an HTTP/1.1 response ends, and where SSE events end.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { responseLength } from '../../benchmarks/load/http.ts';
import { countBoundaries } from '../../benchmarks/load/sse.ts';

describe('HTTP response length', () => {
  const ok = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}';
  const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n{"ok":true}\r\n0\r\n\r\n';
  const cases: [string, string, number | undefined][] = [
    ['a complete Content-Length response', ok, ok.length],
    ['the first of two pipelined responses', ok + ok, ok.length],
    ['a response whose body has not all arrived', ok.slice(0, -3), undefined],
    ['a response whose head has not all arrived', ok.slice(0, 20), undefined],
    ['a complete chunked response', chunked, chunked.length],
    ['a chunked response without its last chunk', chunked.slice(0, -5), undefined],
    ['a 204 with no length', 'HTTP/1.1 204 No Content\r\n\r\n', 27],
    ['something that is not HTTP', 'SSH-2.0-OpenSSH\r\n\r\n', -1],
  ];
  for (const [name, text, expected] of cases) {
    test(`is ${expected} for ${name}`, () => {
      assert.equal(responseLength(Buffer.from(text)), expected);
    });
  }
});

describe('SSE event boundaries', () => {
  const cases: [string, string, boolean, number][] = [
    ['the preamble', 'retry: 3000\n\n', false, 1],
    ['two events', 'event:tick\ndata:{"n":1}\n\nevent:tick\ndata:{"n":1}\n\n', false, 2],
    ['a chunk with no blank line', 'event:tick\ndata:1\n', false, 0],
    ['a blank line split over two chunks', '\nevent:tick\n', true, 1],
    ['a chunk starting with a line feed after one without', '\ndata:1\n', false, 0],
  ];
  for (const [name, text, endedWithLf, expected] of cases) {
    test(`counts ${expected} in ${name}`, () => {
      assert.equal(countBoundaries(Buffer.from(text), endedWithLf), expected);
    });
  }
});
