// Port sharing for MQTT (contract §6, "Merge"): a create on a stored MQTT mock's port appends its topics to that
// mock; its other fields are ignored. Pure: returns a new mock, or throws topic_conflict and changes nothing.

import { MockdError } from '../../errors.ts';
import type { Mock } from '../types.ts';

export interface MqttMergeResult {
  mock: Mock;
  /** The topic strings appended, in order. */
  added: string[];
  /** Topics of the merged mock. */
  total: number;
}

export function mergeMqttMock(target: Mock, incoming: Mock): MqttMergeResult {
  const into = target.mqtt;
  const from = incoming.mqtt;
  if (!into || !from) throw new MockdError('internal_error', 'mergeMqttMock needs two mqtt mocks');

  const topics = structuredClone(into.topics ?? []);
  const taken = new Set(topics.map((t) => t.topic));
  const added: string[] = [];
  for (const t of from.topics ?? []) {
    if (taken.has(t.topic)) {
      throw new MockdError('topic_conflict', `topic "${t.topic}" already exists on mock ${target.id}`);
    }
    taken.add(t.topic);
    topics.push(structuredClone(t));
    added.push(t.topic);
  }
  return { mock: { ...structuredClone(target), mqtt: { ...structuredClone(into), topics } }, added, total: topics.length };
}
