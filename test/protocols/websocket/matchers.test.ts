import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMatch } from '../../../src/protocols/websocket/matchers.ts';
import { WsMessage } from '../../../src/protocols/websocket/message.ts';
import type { WsMatch } from '../../../src/mocks/types.ts';

const text = (s: string) => new WsMessage(Buffer.from(s), false);
const binary = (s: string) => new WsMessage(Buffer.from(s), true);

const CASES: [string, WsMatch, WsMessage, boolean][] = [
  ['exact equal', { type: 'exact', value: 'ping' }, text('ping'), true],
  ['exact differs', { type: 'exact', value: 'ping' }, text('ping '), false],
  ['contains', { type: 'contains', value: 'ell' }, text('hello'), true],
  ['contains missing', { type: 'contains', value: 'xyz' }, text('hello'), false],
  ['prefix', { type: 'prefix', value: 'cmd:' }, text('cmd:run'), true],
  ['prefix elsewhere', { type: 'prefix', value: 'cmd:' }, text('run cmd:'), false],
  ['suffix', { type: 'suffix', value: '!' }, text('hey!'), true],
  ['suffix missing', { type: 'suffix', value: '!' }, text('hey?'), false],
  ['regex finds', { type: 'regex', value: '^id-\\d+$' }, text('id-42'), true],
  ['regex fails', { type: 'regex', value: '^id-\\d+$' }, text('id-x'), false],
  ['json value equal', { type: 'json', path: '$.type', value: 'ping' }, text('{"type":"ping"}'), true],
  ['json value differs', { type: 'json', path: '$.type', value: 'ping' }, text('{"type":"pong"}'), false],
  ['json deep equal object', { type: 'json', path: '$.a', value: { b: [1, 2] } }, text('{"a":{"b":[1,2]}}'), true],
  ['json types must agree', { type: 'json', path: '$.n', value: 1 }, text('{"n":"1"}'), false],
  ['json array index', { type: 'json', path: '$.items[1].id', value: 7 }, text('{"items":[{"id":1},{"id":7}]}'), true],
  ['json path exists without value', { type: 'json', path: '$.token' }, text('{"token":null}'), true],
  ['json path missing without value', { type: 'json', path: '$.token' }, text('{"other":1}'), false],
  ['json on non-JSON text', { type: 'json', path: '$.a' }, text('not json'), false],
  ['messageType text accepts text', { type: 'exact', value: 'x', messageType: 'text' }, text('x'), true],
  ['messageType text rejects binary', { type: 'exact', value: 'x', messageType: 'text' }, binary('x'), false],
  ['messageType binary accepts binary', { type: 'prefix', value: 'AB', messageType: 'binary' }, binary('ABC'), true],
  ['string types read binary frames as UTF-8', { type: 'contains', value: 'é' }, binary('café'), true],
];

describe('WebSocket message matchers', () => {
  for (const [name, match, message, expected] of CASES) {
    test(`${name} → ${expected}`, () => {
      assert.equal(compileMatch(match)(message), expected);
    });
  }

  test('a regex match keeps no state between messages', () => {
    const matches = compileMatch({ type: 'regex', value: 'a' });
    assert.deepEqual([matches(text('a')), matches(text('a')), matches(text('a'))], [true, true, true]);
  });

  test('parses a message as JSON at most once, and not at all for string matchers', (t) => {
    const parse = t.mock.method(JSON, 'parse');
    const message = text('{"a":1}');
    assert.equal(compileMatch({ type: 'contains', value: 'a' })(message), true);
    assert.equal(parse.mock.callCount(), 0, 'a string matcher parses nothing');
    const json = compileMatch({ type: 'json', path: '$.a', value: 1 });
    assert.deepEqual([json(message), json(message), compileMatch({ type: 'json', path: '$.a' })(message)], [true, true, true]);
    assert.equal(parse.mock.callCount(), 1);
  });
});
