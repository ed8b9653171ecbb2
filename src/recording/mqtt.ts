// MQTT journal entries into mocks (issue 21): one mock per recorded broker, on a new port (0), with each topic that
// was published to it (for an `mqtt.proxy` broker: what came from the upstream): retained messages stay retained, the
// rest are scheduled at their recorded offsets from the first message, or as one repeating message when a topic's
// payloads were equal and evenly spaced (within 20 %). Every offset gets a lead of LEAD_MS, so clients that connect
// as the new broker starts are subscribed before the first message.

import { UPSTREAM_CLIENT_ID, type JournalEntry } from '../journal/types.ts';
import type { MqttTopic } from '../mocks/types.ts';
import type { MockInput } from '../mocks/schema/index.ts';
import type { GapScale } from './timing.ts';

export const LEAD_MS = 500;

interface Published {
  t: number;
  payload: string;
  qos: number;
  retain: boolean;
}

function periodOf(list: readonly Published[]): number | undefined {
  if (list.length < 3 || list.some((p) => p.payload !== list[0]!.payload)) return undefined;
  const gaps = list.slice(1).map((p, i) => p.t - list[i]!.t);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  return mean > 0 && gaps.every((g) => Math.abs(g - mean) <= mean * 0.2) ? mean : undefined;
}

export function mqttMocksOf(entries: readonly JournalEntry[], scale: GapScale): MockInput[] {
  const brokers = new Map<string, { start: number; topics: Map<string, Published[]> }>();
  const proxiedBrokers = new Set(entries.filter((e) => e.protocol === 'mqtt' && e.proxied).map((e) => e.mockId));
  for (const e of entries) {
    if (e.protocol !== 'mqtt' || !e.mqtt || e.mockId === undefined || e.mqtt.direction !== 'in') continue;
    if (proxiedBrokers.has(e.mockId) && e.mqtt.clientId !== UPSTREAM_CLIENT_ID) continue;
    if (e.mqtt.payloadEncoding === 'base64') continue;
    const t = Date.parse(e.timestamp);
    let broker = brokers.get(e.mockId);
    if (!broker) brokers.set(e.mockId, (broker = { start: t, topics: new Map() }));
    const list = broker.topics.get(e.mqtt.topic) ?? [];
    list.push({ t, payload: e.mqtt.payload, qos: e.mqtt.qos, retain: e.mqtt.retain });
    broker.topics.set(e.mqtt.topic, list);
  }
  return [...brokers.entries()].map(([mockId, broker]) => {
    const topics: MqttTopic[] = [];
    for (const [topic, list] of broker.topics) {
      const qos = Math.max(...list.map((p) => p.qos)) as 0 | 1 | 2;
      const retained = list.filter((p) => p.retain);
      const scheduled = list.filter((p) => !p.retain);
      if (retained.length > 0) {
        // A late subscriber gets only the last retained message, so that is the one kept.
        const last = retained[retained.length - 1]!;
        topics.push({ topic, qos, retain: true, messages: [{ payload: last.payload, delay: 0 }] });
      }
      if (scheduled.length === 0) continue;
      // A period that plays as 0 ms (timing none) would publish in a busy loop: such topics are listed instead.
      const measured = periodOf(scheduled);
      const period = measured !== undefined && scale(measured) > 0 ? measured : undefined;
      const messages = period !== undefined
        ? [{ payload: scheduled[0]!.payload, delay: LEAD_MS + scale(scheduled[0]!.t - broker.start), repeat: true, interval: Math.max(1, Math.round(scale(period))) }]
        : scheduled.map((p) => ({ payload: p.payload, delay: LEAD_MS + scale(p.t - broker.start) }));
      topics.push({ topic, qos, messages });
    }
    return { type: 'mqtt', name: `snapshot MQTT ${mockId}`, description: `recorded from ${mockId}`, enabled: true, mqtt: { port: 0, topics } } as MockInput;
  });
}
