import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findUser, mayPublish, maySubscribe, passwordMatches, type MqttUser } from '../../../src/protocols/mqtt/auth.ts';

const sensor: MqttUser = {
  username: 'sensor',
  password: 'pw',
  acl: [
    { topic: 'sensors/#', access: 'readwrite' },
    { topic: 'cmd/+', access: 'read' },
    { topic: 'up/+', access: 'write' },
    { topic: 'sub/#', access: 'subscribe' },
    { topic: 'pub/#', access: 'publish' },
    { topic: 'any/#', access: 'all' },
    { topic: 'sensors/secret/#', access: 'deny' },
  ],
};

describe('ACL for PUBLISH', () => {
  const cases: [topic: string, allowed: boolean][] = [
    ['sensors/temp', true],
    ['sensors/secret/key', false],
    ['cmd/reboot', false],
    ['up/data', true],
    ['sub/x', false],
    ['pub/x', true],
    ['any/x', true],
    ['elsewhere', false],
  ];
  for (const [topic, allowed] of cases) {
    test(`${allowed ? 'allows' : 'denies'} publishing to ${topic}`, () => {
      assert.equal(mayPublish(sensor, topic), allowed);
    });
  }
  test('allows everything to a user without acl and to anonymous clients of a broker without auth', () => {
    assert.equal(mayPublish({ username: 'admin', password: 'x' }, 'any/thing'), true);
    assert.equal(mayPublish(undefined, 'any/thing'), true);
  });
  test('denies everything to a user with an empty acl', () => {
    assert.equal(mayPublish({ username: 'none', password: 'x', acl: [] }, 'a'), false);
  });
});

describe('ACL for SUBSCRIBE', () => {
  const cases: [filter: string, allowed: boolean][] = [
    ['sensors/temp', true],
    ['sensors/+', false], // reaches sensors/secret, which sensors/secret/# covers
    ['sensors/temp/+', true],
    ['sensors/#', false], // reaches sensors/secret/#
    ['sensors/secret/key', false],
    ['cmd/reboot', true],
    ['cmd/#', false], // broader than cmd/+
    ['up/data', false],
    ['sub/x/#', true],
    ['pub/x', false],
    ['any/#', true],
    ['#', false],
  ];
  for (const [filter, allowed] of cases) {
    test(`${allowed ? 'allows' : 'denies'} subscribing to ${filter}`, () => {
      assert.equal(maySubscribe(sensor, filter), allowed);
    });
  }
});

describe('credentials', () => {
  const auth = { enabled: true, users: [sensor, { username: 'admin', password: 's3cret' }] };
  const cases: [username: string | undefined, password: string | undefined, expected: string | undefined][] = [
    ['admin', 's3cret', 'admin'],
    ['admin', 's3cret!', undefined],
    ['admin', '', undefined],
    ['admin', undefined, undefined],
    ['nobody', 's3cret', undefined],
    [undefined, 's3cret', undefined],
    ['sensor', 'pw', 'sensor'],
  ];
  for (const [username, password, expected] of cases) {
    test(`${expected ? 'accepts' : 'refuses'} ${username ?? '(no user)'} / ${password ?? '(no password)'}`, () => {
      const buf = password === undefined ? undefined : Buffer.from(password);
      assert.equal(findUser(auth, username, buf)?.username, expected);
    });
  }
  test('compares passwords of different lengths without throwing', () => {
    assert.equal(passwordMatches('short', Buffer.from('a much longer password')), false);
    assert.equal(passwordMatches('same', 'same'), true);
  });
});
