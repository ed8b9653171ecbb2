import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isTopicFilter, isTopicName, mqttSpecSchema } from '../../../src/mocks/schema/mqtt.ts';

function firstIssue(spec: unknown): { path: string; message: string } | undefined {
  const result = mqttSpecSchema.safeParse(spec);
  if (result.success) return undefined;
  const issue = result.error.issues[0]!;
  return { path: issue.path.join('.'), message: issue.message };
}

describe('mqttSpecSchema', () => {
  const valid: [name: string, spec: unknown][] = [
    ['a bare port', { port: 1883 }],
    ['port 0', { port: 0 }],
    ['the contract example', {
      port: 1883,
      topics: [
        { topic: 'sensors/temp', qos: 1, retain: true, messages: [{ payload: '{"t":{{random.int(18,28)}}}', repeat: true, interval: '5s' }] },
        { topic: 'cmd/+/exec', onPublish: { response: { payload: '{"ok":true}' }, forward: 'audit/cmd' } },
      ],
    }],
    ['auth with ACLs', {
      port: 1883,
      auth: { enabled: true, users: [{ username: 'a', password: 'b', acl: [{ topic: 'x/#', access: 'read' }, { topic: 'y', access: 'deny' }] }] },
    }],
    ['integer ms durations', { port: 1, topics: [{ topic: 't', messages: [{ payload: 'p', delay: 0, interval: 250 }] }] }],
  ];
  for (const [name, spec] of valid) {
    test(`accepts ${name}`, () => {
      assert.equal(firstIssue(spec), undefined);
    });
  }

  const invalid: [name: string, spec: unknown, path: string, message?: RegExp][] = [
    ['a missing port', {}, 'port'],
    ['a negative port', { port: -1 }, 'port', /between 0 and 65535/],
    ['a port over 65535', { port: 65536 }, 'port', /between 0 and 65535/],
    ['a fractional port', { port: 1.5 }, 'port'],
    ['qos 3', { port: 1, topics: [{ topic: 't', qos: 3 }] }, 'topics.0.qos', /between 0 and 2/],
    ['a non-boolean retain', { port: 1, topics: [{ topic: 't', retain: 'yes' }] }, 'topics.0.retain'],
    ['an empty topic', { port: 1, topics: [{ topic: '' }] }, 'topics.0.topic'],
    ['a malformed filter', { port: 1, topics: [{ topic: 'a/b#' }] }, 'topics.0.topic'],
    ['# before the last level', { port: 1, topics: [{ topic: 'a/#/b' }] }, 'topics.0.topic'],
    ['+ inside a level', { port: 1, topics: [{ topic: 'a+/b' }] }, 'topics.0.topic'],
    ['+ in a topic with messages', { port: 1, topics: [{ topic: 'a/+', messages: [{ payload: 'x' }] }] }, 'topics.0.topic', /may not contain \+ or #/],
    ['# in a topic with messages', { port: 1, topics: [{ topic: 'a/#', messages: [{ payload: 'x' }] }] }, 'topics.0.topic', /may not contain/],
    ['a message without payload', { port: 1, topics: [{ topic: 't', messages: [{}] }] }, 'topics.0.messages.0.payload'],
    ['a bad delay', { port: 1, topics: [{ topic: 't', messages: [{ payload: 'x', delay: 'soon' }] }] }, 'topics.0.messages.0.delay', /duration/],
    ['a bad interval unit', { port: 1, topics: [{ topic: 't', messages: [{ payload: 'x', interval: '5d' }] }] }, 'topics.0.messages.0.interval'],
    ['a zero interval', { port: 1, topics: [{ topic: 't', messages: [{ payload: 'x', repeat: true, interval: '0s' }] }] }, 'topics.0.messages.0.interval'],
    ['a broken template', { port: 1, topics: [{ topic: 't', messages: [{ payload: '{{ upper( }}' }] }] }, 'topics.0.messages.0.payload', /template/],
    ['a wildcard forward', { port: 1, topics: [{ topic: 'a', onPublish: { forward: 'b/#' } }] }, 'topics.0.onPublish.forward'],
    ['a response without payload', { port: 1, topics: [{ topic: 'a', onPublish: { response: {} } }] }, 'topics.0.onPublish.response.payload'],
    ['an unknown ACL access', { port: 1, auth: { enabled: true, users: [{ username: 'u', password: 'p', acl: [{ topic: 'a', access: 'sudo' }] }] } }, 'auth.users.0.acl.0.access'],
    ['a malformed ACL filter', { port: 1, auth: { users: [{ username: 'u', password: 'p', acl: [{ topic: '#/a', access: 'read' }] }] } }, 'auth.users.0.acl.0.topic'],
    ['a user without password', { port: 1, auth: { users: [{ username: 'u' }] } }, 'auth.users.0.password'],
    ['a duplicate username', { port: 1, auth: { users: [{ username: 'u', password: 'a' }, { username: 'u', password: 'b' }] } }, 'auth.users.1.username', /duplicate/],
  ];
  for (const [name, spec, path, message] of invalid) {
    test(`rejects ${name} at ${path}`, () => {
      const issue = firstIssue(spec);
      assert.equal(issue?.path, path, JSON.stringify(issue));
      if (message) assert.match(issue!.message, message);
    });
  }
});

describe('topic syntax', () => {
  const names: [topic: string, name: boolean, filter: boolean][] = [
    ['a/b', true, true],
    ['a/+/c', false, true],
    ['a/#', false, true],
    ['#', false, true],
    ['+', false, true],
    ['a/b#', false, false],
    ['a/#/c', false, false],
    ['a+', false, false],
    ['', false, false],
    ['/', true, true],
  ];
  for (const [topic, name, filter] of names) {
    test(`"${topic}" is ${name ? '' : 'not '}a topic name and ${filter ? '' : 'not '}a filter`, () => {
      assert.equal(isTopicName(topic), name);
      assert.equal(isTopicFilter(topic), filter);
    });
  }
});
