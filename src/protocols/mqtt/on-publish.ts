// `topics[].onPublish` of contract §6: a client PUBLISH on a topic matching an entry's filter gets the templated
// `response.payload` published back to the topic it was received on, and/or its payload republished to `forward`.
// Both go out as broker publishes (no client), which the broker never feeds back here: nothing can loop.

import type { MqttTopic } from '../../mocks/types.ts';
import { compilePayload, type PayloadTemplate } from './payload-template.ts';
import type { BrokerPublish } from './schedule.ts';
import { matchesFilter } from './topic-filter.ts';

interface Rule {
  filter: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  response?: PayloadTemplate;
  forward?: string;
}

/** A client's PUBLISH as the broker received it. */
export interface ReceivedPublish {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  clientId: string;
}

/** Builds the handler for client PUBLISHes; it does nothing when no topic has onPublish. */
/** Undefined when no topic has an `onPublish`: the broker then listens to no PUBLISH at all. */
export function createOnPublish(topics: readonly MqttTopic[], publish: BrokerPublish): ((received: ReceivedPublish) => void) | undefined {
  const rules: Rule[] = topics
    .filter((t) => t.onPublish?.response !== undefined || t.onPublish?.forward !== undefined)
    .map((t) => ({
      filter: t.topic,
      qos: t.qos ?? 0,
      retain: t.retain ?? false,
      response: t.onPublish!.response && compilePayload(t.onPublish!.response.payload),
      forward: t.onPublish!.forward,
    }));

  if (rules.length === 0) return undefined;
  return (received) => {
    const text = received.payload.toString('utf8');
    for (const rule of rules) {
      if (!matchesFilter(rule.filter, received.topic)) continue;
      if (rule.response) {
        const payload = rule.response.render({ topic: received.topic, clientid: received.clientId, payload: text });
        publish({ topic: received.topic, payload, qos: rule.qos, retain: rule.retain });
      }
      // The payload is forwarded as received, with the QoS it was published with.
      if (rule.forward !== undefined) publish({ topic: rule.forward, payload: received.payload, qos: received.qos, retain: false });
    }
  };
}
