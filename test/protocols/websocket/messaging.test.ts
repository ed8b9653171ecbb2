// Per-message behaviour of WebSocket mocks (contract §5): echo, matchers, default response, templating, binary
// responses and delays, against a real mockd with real `ws` clients.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, roundTrip, startFileMockd, wsMock, wsUrl } from './helpers.ts';

const m = await startFileMockd();
const url = (path: string) => wsUrl(m.mockUrl, path);

before(async () => {
  await m.createMock(wsMock('echo', { path: '/echo' }));
  await m.createMock(
    wsMock('match', {
      path: '/match',
      matchers: [
        { match: { type: 'exact', value: 'ping' }, response: { type: 'text', value: 'pong' } },
        { match: { type: 'contains', value: 'help' }, response: { type: 'text', value: 'contains' } },
        { match: { type: 'prefix', value: 'cmd:' }, response: { type: 'text', value: 'prefix' } },
        { match: { type: 'suffix', value: '?' }, response: { type: 'text', value: 'suffix' } },
        { match: { type: 'regex', value: '^id-\\d+$' }, response: { type: 'text', value: 'regex' } },
        { match: { type: 'json', path: '$.type', value: 'hello' }, response: { type: 'json', value: { type: 'welcome' } } },
        { match: { type: 'json', path: '$.token' }, response: { type: 'text', value: 'has token' } },
        { match: { type: 'exact', value: 'bin', messageType: 'binary' }, response: { type: 'text', value: 'binary only' } },
        { match: { type: 'exact', value: 'drop' }, noResponse: true },
      ],
    }),
  );
  await m.createMock(
    wsMock('fallback', {
      path: '/fallback',
      matchers: [{ match: { type: 'exact', value: 'known' }, response: { type: 'text', value: 'matched' } }],
      defaultResponse: { type: 'text', value: 'unknown: {{request.rawBody}}' },
    }),
  );
  await m.createMock(
    wsMock('silent', { path: '/silent', matchers: [{ match: { type: 'exact', value: 'known' }, response: { type: 'text', value: 'matched' } }] }),
  );
  await m.createMock(
    wsMock('echo-too', { path: '/echo-too', echoMode: true, matchers: [{ match: { type: 'exact', value: 'known' }, response: { type: 'text', value: 'matched' } }] }),
  );
  await m.createMock(
    wsMock('templated', {
      path: '/tpl',
      matchers: [
        {
          match: { type: 'json', path: '$.op', value: 'json' },
          response: { type: 'json', value: { name: '{{request.body.name}}', n: 3, tags: ['{{upper(request.body.name)}}'] } },
        },
      ],
      defaultResponse: {
        type: 'text',
        value: '{{request.rawBody}}|{{request.path}}|{{request.query.room}}|{{request.header.x-user}}',
      },
    }),
  );
  await m.createMock(wsMock('binary', { path: '/binary', defaultResponse: { type: 'binary', value: 'AAEC/w==' } }));
  await m.createMock(wsMock('slow', { path: '/slow', defaultResponse: { type: 'text', value: 'late', delay: '300ms' } }));
});

describe('when a mock has no matchers and no scenario', () => {
  test('echoes text frames as text', async (t) => {
    const c = await connect(t, url('/echo'));
    const f = await roundTrip(c, 'hello');
    assert.equal(f.text, 'hello');
    assert.equal(f.isBinary, false);
  });

  test('echoes binary frames as binary, byte for byte', async (t) => {
    const c = await connect(t, url('/echo'));
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    const f = await roundTrip(c, bytes, true);
    assert.equal(f.isBinary, true);
    assert.deepEqual(f.data, bytes);
  });
});

describe('matchers', () => {
  const cases: [string, string | Buffer, string, boolean?][] = [
    ['exact', 'ping', 'pong'],
    ['contains', 'please help me', 'contains'],
    ['prefix', 'cmd:run', 'prefix'],
    ['suffix', 'really?', 'suffix'],
    ['regex', 'id-42', 'regex'],
    ['json with value', '{"type":"hello","x":1}', '{"type":"welcome"}'],
    ['json path that exists', '{"token":"abc"}', 'has token'],
    ['messageType binary', Buffer.from('bin'), 'binary only', true],
  ];
  for (const [name, sent, expected, binary] of cases) {
    test(`answers a ${name} match`, async (t) => {
      const c = await connect(t, url('/match'));
      const f = await roundTrip(c, sent, binary);
      assert.equal(f.text, expected);
      assert.equal(f.isBinary, false);
    });
  }

  test('skips an entry whose messageType differs from the frame type', async (t) => {
    const c = await connect(t, url('/match'));
    c.ws.send('bin');
    c.ws.send('ping');
    assert.equal((await c.next()).text, 'pong');
  });

  test('consumes a noResponse match without sending anything', async (t) => {
    const c = await connect(t, url('/match'));
    c.ws.send('drop');
    c.ws.send('ping');
    // Frames arrive in order, so the first answer being "pong" shows "drop" got none.
    assert.equal((await c.next()).text, 'pong');
  });

  test('takes the first matching entry in order', async (t) => {
    const c = await connect(t, url('/match'));
    // "cmd:help?" fits contains, prefix and suffix; contains is listed first.
    assert.equal((await roundTrip(c, 'cmd:help?')).text, 'contains');
  });
});

describe('default response and echo', () => {
  test('sends defaultResponse when no matcher fits', async (t) => {
    const c = await connect(t, url('/fallback'));
    assert.equal((await roundTrip(c, 'what')).text, 'unknown: what');
    assert.equal((await roundTrip(c, 'known')).text, 'matched');
  });

  test('sends nothing for an unmatched message when there are matchers and echoMode is unset', async (t) => {
    const c = await connect(t, url('/silent'));
    c.ws.send('unmatched');
    c.ws.send('known');
    assert.equal((await c.next()).text, 'matched');
  });

  test('echoes unmatched messages when echoMode is true beside matchers', async (t) => {
    const c = await connect(t, url('/echo-too'));
    assert.equal((await roundTrip(c, 'known')).text, 'matched');
    assert.equal((await roundTrip(c, 'other')).text, 'other');
  });
});

describe('responses', () => {
  test('templates text from the message and from the upgrade request', async (t) => {
    const c = await connect(t, url('/tpl?room=blue'), undefined, { headers: { 'X-User': 'ann' } });
    assert.equal((await roundTrip(c, 'hi there')).text, 'hi there|/tpl|blue|ann');
  });

  test('sends a json response as compact JSON in a text frame with its strings templated', async (t) => {
    const c = await connect(t, url('/tpl'));
    const f = await roundTrip(c, JSON.stringify({ op: 'json', name: 'bob' }));
    assert.equal(f.isBinary, false);
    assert.equal(f.text, '{"name":"bob","n":3,"tags":["BOB"]}');
  });

  test('sends a binary response as a binary frame with the decoded bytes', async (t) => {
    const c = await connect(t, url('/binary'));
    const f = await roundTrip(c, 'anything');
    assert.equal(f.isBinary, true);
    assert.deepEqual(f.data, Buffer.from([0, 1, 2, 255]));
  });

  test('waits the response delay before sending', async (t) => {
    const c = await connect(t, url('/slow'));
    const started = performance.now();
    const f = await roundTrip(c, 'x');
    const elapsed = performance.now() - started;
    assert.equal(f.text, 'late');
    assert.ok(elapsed >= 290, `answered after ${elapsed.toFixed(0)} ms`);
  });
});
