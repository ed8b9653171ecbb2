// Validation of the `websocket` spec (contract §2, §5): each broken field is a 400 validation_error naming it.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMock } from '../../../src/mocks/schema/index.ts';
import { MockdError } from '../../../src/errors.ts';
import { startMockd } from '../../helpers/mockd.ts';
import { wsMock } from './helpers.ts';

const text = (value: unknown) => ({ type: 'text', value });

/** [case, websocket spec, the field the error names] */
const INVALID: [string, Record<string, unknown>, string][] = [
  ['path without a leading slash', { path: 'ws' }, 'websocket.path'],
  ['path with a query', { path: '/ws?x=1' }, 'websocket.path'],
  ['unknown match type', { path: '/w', matchers: [{ match: { type: 'glob', value: 'x' } }] }, 'websocket.matchers[0].match.type'],
  ['regex that does not compile', { path: '/w', matchers: [{ match: { type: 'regex', value: '(' } }] }, 'websocket.matchers[0].match.value'],
  ['string match without value', { path: '/w', matchers: [{ match: { type: 'exact' } }] }, 'websocket.matchers[0].match.value'],
  ['json match without path', { path: '/w', matchers: [{ match: { type: 'json', value: 1 } }] }, 'websocket.matchers[0].match.path'],
  ['json match with a bad path', { path: '/w', matchers: [{ match: { type: 'json', path: 'a.b' } }] }, 'websocket.matchers[0].match.path'],
  ['bad messageType', { path: '/w', matchers: [{ match: { type: 'exact', value: 'x', messageType: 'json' } }] }, 'websocket.matchers[0].match.messageType'],
  ['unknown response type', { path: '/w', defaultResponse: { type: 'xml', value: '<a/>' } }, 'websocket.defaultResponse.type'],
  ['binary value that is not base64', { path: '/w', defaultResponse: { type: 'binary', value: 'not base64!' } }, 'websocket.defaultResponse.value'],
  ['text value that is not a string', { path: '/w', defaultResponse: text(5) }, 'websocket.defaultResponse.value'],
  ['response without value', { path: '/w', defaultResponse: { type: 'json' } }, 'websocket.defaultResponse.value'],
  ['broken template', { path: '/w', defaultResponse: text('{{ request.body ') }, 'websocket.defaultResponse.value'],
  ['bad delay', { path: '/w', defaultResponse: { ...text('x'), delay: 'soon' } }, 'websocket.defaultResponse.delay'],
  ['bad idleTimeout', { path: '/w', idleTimeout: '10 minutes' }, 'websocket.idleTimeout'],
  ['zero heartbeat interval', { path: '/w', heartbeat: { enabled: true, interval: 0 } }, 'websocket.heartbeat.interval'],
  ['negative maxConnections', { path: '/w', maxConnections: -1 }, 'websocket.maxConnections'],
  ['fractional maxMessageSize', { path: '/w', maxMessageSize: 1.5 }, 'websocket.maxMessageSize'],
  ['requireSubprotocol without subprotocols', { path: '/w', requireSubprotocol: true }, 'websocket.subprotocols'],
  ['subprotocol with a space', { path: '/w', subprotocols: ['a b'] }, 'websocket.subprotocols[0]'],
  ['send step without message', { path: '/w', scenario: { steps: [{ type: 'send' }] } }, 'websocket.scenario.steps[0].message'],
  ['wait step without duration', { path: '/w', scenario: { steps: [{ type: 'wait' }] } }, 'websocket.scenario.steps[0].duration'],
  ['scenario without steps', { path: '/w', scenario: { steps: [] } }, 'websocket.scenario.steps'],
  ['unknown step type', { path: '/w', scenario: { steps: [{ type: 'jump' }] } }, 'websocket.scenario.steps[0].type'],
];

describe('websocket spec validation', () => {
  for (const [name, spec, field] of INVALID) {
    test(`rejects a ${name} on ${field}`, () => {
      assert.throws(
        () => parseMock({ type: 'websocket', websocket: spec }),
        (err: unknown) => err instanceof MockdError && err.code === 'validation_error' && err.field === field,
      );
    });
  }

  test('accepts the contract example and durations as ms or strings', () => {
    const spec = {
      path: '/ws/chat',
      matchers: [{ match: { type: 'json', path: '$.type', value: 'ping' }, response: { type: 'json', value: { type: 'pong', ts: '{{now}}' } } }],
      defaultResponse: { type: 'text', value: 'unknown', delay: 250 },
      heartbeat: { enabled: true, interval: '30s', timeout: 10000 },
      idleTimeout: '5m',
      scenario: { steps: [{ type: 'expect', timeout: '2s', optional: true }, { type: 'wait', duration: '1h' }], loop: true },
    };
    // A field of the Go mockd that mockd does not implement is dropped (a field neither knows is refused:
    // test/mocks/unknown-fields.test.ts).
    const mock = parseMock({ type: 'websocket', websocket: { ...spec, scenario: { ...spec.scenario, resetOnReconnect: true } } });
    assert.deepEqual(mock.websocket, spec);
  });
});

describe('through the admin API', () => {
  test('answers 400 with the field path, and 409 route_collision for a second mock on the same path', async (t) => {
    const m = await startMockd(t);
    const bad = await m.api('/mocks', { method: 'POST', body: wsMock('bad', { path: '/w', matchers: [{ match: { type: 'regex', value: '[' } }] }) });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'validation_error');
    assert.equal(bad.body.field, 'websocket.matchers[0].match.value');
    assert.match(bad.body.message, /^validation error on websocket\.matchers\[0\]\.match\.value: /);
    await m.createMock(wsMock('first', { path: '/same' }));
    const clash = await m.api('/mocks', { method: 'POST', body: wsMock('second', { path: '/same' }) });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error, 'route_collision');
  });
});
