// MQTT entries of the request journal (contract §12): one `in` entry per PUBLISH a client sends, one `out` entry per
// delivery to a subscribed client. Entries carry the broker's mock id; `matched` says whether the topic fits one of
// the mock's `topics[]` filters. The broker calls these only when `journal.enabled`, so a broker with the journal
// off pays one boolean check per packet.

import type { Client, PublishPacket } from 'aedes';
import { journal } from '../../journal/recorder.ts';
import type { MqttTopic } from '../../mocks/types.ts';
import { matchesFilter } from './topic-filter.ts';
import { checkPayload } from '../../util/json-schema-validator.ts';
import { tlsInfoOf } from '../tls/client-info.ts';

export interface MqttJournal {
  /** A PUBLISH from `client`, journaled once it is authorized (before it is delivered, so `in` precedes its `out`s). */
  received(client: Client, packet: PublishPacket): void;
  /** A delivery of `packet` to the subscribed `client`, as aedes forwards it. */
  delivered(client: Client, packet: PublishPacket): void;
  /** True when one of the mock's topics matches `topic` (the entries' and the metrics' `matched`). */
  isMatched(topic: string): boolean;
}

type Subscriptions = Record<string, { qos?: number } | undefined>;

const asBuffer = (payload: string | Buffer) => (typeof payload === 'string' ? Buffer.from(payload) : payload);

/**
 * The QoS a delivery goes out with: the lower of the published QoS and the QoS granted to the client's matching
 * subscription, the highest one when several match (MQTT 3.1.1 §3.3.5, §3.8.4).
 */
function deliveredQos(client: Client, packet: PublishPacket): 0 | 1 | 2 {
  if (packet.qos === 0) return 0;
  let granted = -1;
  const subs = (client as Client & { subscriptions: Subscriptions }).subscriptions;
  for (const filter in subs) {
    if (matchesFilter(filter, packet.topic)) granted = Math.max(granted, subs[filter]?.qos ?? 0);
  }
  return (granted < 0 ? packet.qos : Math.min(packet.qos, granted)) as 0 | 1 | 2;
}

/** `proxied`: the broker of an `mqtt.proxy` mock, whose entries all carry `proxied: true` (issue 21). */
export function createMqttJournal(mockId: string, topics: readonly MqttTopic[], proxied = false): MqttJournal {
  const filters = topics.map((t) => t.topic);
  // Brokers see the same few topics over and over: remember each answer (bounded, so odd traffic cannot grow it).
  const seen = new Map<string, boolean>();
  const isMatched = (topic: string) => {
    let hit = seen.get(topic);
    if (hit === undefined) {
      hit = filters.some((f) => matchesFilter(f, topic));
      if (seen.size >= 1024) seen.clear();
      seen.set(topic, hit);
    }
    return hit;
  };
  // Topics with a `schema` (issue 22, from AsyncAPI): a received payload is checked and its entry says valid or not.
  const checked = topics.filter((t) => t.schema !== undefined);
  const validity = (topic: string, payload: Buffer): { valid?: boolean; reason?: string } => {
    const t = checked.find((c) => matchesFilter(c.topic, topic));
    if (!t) return {};
    const reason = checkPayload(t.schema!, payload.toString('utf8'));
    return reason === undefined ? { valid: true } : { valid: false, reason };
  };
  // The record is one literal of one shape on this per-message path; only a topic with a schema adds its verdict.
  const record = (client: Client, direction: 'in' | 'out', packet: PublishPacket, qos: 0 | 1 | 2, check = false) => {
    const clientId = client.id;
    const r: Parameters<typeof journal.mqtt>[0] = {
      mockId,
      matched: proxied || isMatched(packet.topic),
      clientId,
      direction,
      topic: packet.topic,
      qos,
      retain: packet.retain === true,
      payload: asBuffer(packet.payload),
    };
    if (check && checked.length > 0) Object.assign(r, validity(packet.topic, r.payload));
    // A client of a TLS listener: the entry says so, with the client's CN (README "TLS").
    const tls = tlsInfoOf(client.conn);
    if (tls) r.tls = tls;
    if (proxied) r.proxied = true;
    journal.mqtt(r);
  };
  return {
    received: (client, packet) => record(client, 'in', packet, packet.qos, true),
    delivered: (client, packet) => record(client, 'out', packet, deliveredQos(client, packet)),
    isMatched,
  };
}
