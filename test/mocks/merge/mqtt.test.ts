import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeMqttMock } from '../../../src/mocks/merge/mqtt.ts';
import type { Mock, MqttSpec } from '../../../src/mocks/types.ts';

function mock(id: string, mqtt: MqttSpec, name = ''): Mock {
  return { id, type: 'mqtt', name, description: '', enabled: true, createdAt: 't0', updatedAt: 't0', mqtt };
}

describe('mergeMqttMock', () => {
  test('appends the incoming topics and ignores its other fields', () => {
    const target = mock('mqtt_t', { port: 1883, topics: [{ topic: 'a' }] }, 'target');
    const incoming = mock('mqtt_i', { port: 1883, auth: { enabled: true, users: [] }, topics: [{ topic: 'b', qos: 1 }, { topic: 'c/+' }] }, 'incoming');
    const result = mergeMqttMock(target, incoming);
    assert.deepEqual(result.added, ['b', 'c/+']);
    assert.equal(result.total, 3);
    assert.deepEqual(result.mock, mock('mqtt_t', { port: 1883, topics: [{ topic: 'a' }, { topic: 'b', qos: 1 }, { topic: 'c/+' }] }, 'target'));
  });

  test('does not modify its arguments', () => {
    const target = mock('mqtt_t', { port: 1883, topics: [{ topic: 'a' }] });
    const incoming = mock('mqtt_i', { port: 1883, topics: [{ topic: 'b' }] });
    const before = structuredClone([target, incoming]);
    mergeMqttMock(target, incoming);
    assert.deepEqual([target, incoming], before);
  });

  test('merges into a mock without topics', () => {
    const result = mergeMqttMock(mock('mqtt_t', { port: 1 }), mock('mqtt_i', { port: 1, topics: [{ topic: 'x' }] }));
    assert.deepEqual(result.mock.mqtt?.topics, [{ topic: 'x' }]);
    assert.equal(result.total, 1);
  });

  const conflicts: [name: string, existing: string[], incoming: string[]][] = [
    ['a topic the target already has', ['a', 'b'], ['c', 'b']],
    ['the same topic twice in the incoming mock', ['a'], ['d', 'd']],
  ];
  for (const [name, existing, incoming] of conflicts) {
    test(`throws topic_conflict for ${name}`, () => {
      const target = mock('mqtt_t', { port: 1, topics: existing.map((topic) => ({ topic })) });
      const from = mock('mqtt_i', { port: 1, topics: incoming.map((topic) => ({ topic })) });
      assert.throws(() => mergeMqttMock(target, from), { code: 'topic_conflict' });
    });
  }
});
