// Scenarios on live connections (contract §5): each connection runs its own copy from step 0 on connect.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, roundTrip, startFileMockd, wsMock, wsUrl } from './helpers.ts';

const m = await startFileMockd();
const url = (path: string) => wsUrl(m.mockUrl, path);
const text = (value: string) => ({ type: 'text' as const, value });

before(async () => {
  await m.createMock(
    wsMock('login', {
      path: '/login',
      scenario: {
        name: 'login flow',
        steps: [
          { type: 'send', message: text('welcome') },
          { type: 'expect', match: { type: 'json', path: '$.action', value: 'login' } },
          { type: 'send', message: { type: 'json', value: { ok: true, user: '{{request.body.user}}' } } },
          { type: 'wait', duration: '200ms' },
          { type: 'send', message: text('done') },
        ],
      },
      defaultResponse: text('outside scenario'),
    }),
  );
  await m.createMock(
    wsMock('strict', {
      path: '/strict',
      scenario: { steps: [{ type: 'expect', match: { type: 'exact', value: 'go' }, timeout: '150ms' }, { type: 'send', message: text('never') }] },
      // The server's own clock tells the test when the expect has timed out: "tick" is answered after 250 ms.
      matchers: [{ match: { type: 'exact', value: 'tick' }, response: { ...text('tock'), delay: '250ms' } }],
      echoMode: true,
    }),
  );
  await m.createMock(
    wsMock('optional', {
      path: '/optional',
      scenario: { steps: [{ type: 'expect', match: { type: 'exact', value: 'go' }, timeout: '100ms', optional: true }, { type: 'send', message: text('skipped ahead') }] },
    }),
  );
  await m.createMock(
    wsMock('loop', {
      path: '/loop',
      scenario: { loop: true, steps: [{ type: 'expect', match: { type: 'prefix', value: 'n' } }, { type: 'send', message: text('ack {{request.rawBody}}') }] },
      defaultResponse: text('default'),
    }),
  );
});

describe('scenarios', () => {
  test('sends, expects, then sends again after a wait, templating the expected message', async (t) => {
    const c = await connect(t, url('/login'));
    assert.equal((await c.next()).text, 'welcome');
    // A message that does not fit the expect goes on to the default response; the scenario keeps waiting.
    assert.equal((await roundTrip(c, 'hello')).text, 'outside scenario');
    const started = performance.now();
    assert.equal((await roundTrip(c, JSON.stringify({ action: 'login', user: 'ann' }))).text, '{"ok":true,"user":"ann"}');
    assert.equal((await c.next()).text, 'done');
    assert.ok(performance.now() - started >= 190, 'the wait step delays the last send');
    assert.equal((await roundTrip(c, JSON.stringify({ action: 'login' }))).text, 'outside scenario');
  });

  test('runs a separate copy per connection', async (t) => {
    const a = await connect(t, url('/login'));
    assert.equal((await a.next()).text, 'welcome');
    const b = await connect(t, url('/login'));
    assert.equal((await b.next()).text, 'welcome');
  });

  test('a required expect that times out stops the scenario and messages go to echo', async (t) => {
    const c = await connect(t, url('/strict'));
    assert.equal((await roundTrip(c, 'tick')).text, 'tock');
    // Before the timeout, "go" would be taken by the scenario (and "never" sent); once it stopped, "go" is echoed.
    assert.equal((await roundTrip(c, 'go')).text, 'go');
  });

  test('an optional expect that times out is skipped', async (t) => {
    const c = await connect(t, url('/optional'));
    assert.equal((await c.next()).text, 'skipped ahead');
  });

  test('loop restarts the scenario after its last step', async (t) => {
    const c = await connect(t, url('/loop'));
    assert.equal((await roundTrip(c, 'n1')).text, 'ack n1');
    assert.equal((await roundTrip(c, 'x')).text, 'default');
    assert.equal((await roundTrip(c, 'n2')).text, 'ack n2');
    assert.equal((await roundTrip(c, 'n3')).text, 'ack n3');
  });
});
