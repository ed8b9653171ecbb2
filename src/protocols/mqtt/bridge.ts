// `mqtt.proxy` (issue 21): the mock's broker bridges to a real broker with one mqtt.js client. Messages published
// upstream on the proxy's topics are published by the broker to its own subscribers (retained ones stay retained),
// and client publishes on those topics go upstream. A publish the bridge sent comes back on its own subscription;
// that echo is recognised and dropped, so nothing is delivered twice. Both directions are journaled with
// `proxied: true` under the client id `$upstream`. The bridge is not a connection of the mock (like the broker's
// internal publisher); it ends when the broker stops, so a mock change leaves nothing open upstream.

import { connect, type MqttClient } from 'mqtt';
import { journal } from '../../journal/recorder.ts';
import { UPSTREAM_CLIENT_ID } from '../../journal/types.ts';
import type { MqttSpec } from '../../mocks/types.ts';
import type { BrokerPublish } from './schedule.ts';
import { matchesFilter } from './topic-filter.ts';


/** How long a broker start waits for the bridge to subscribe; an unreachable upstream keeps being retried. */
const CONNECT_WAIT_MS = 3000;

export interface MqttBridge {
  /** A client PUBLISH on the mock's broker; forwarded when its topic is bridged. */
  forward(packet: { topic: string; payload: Buffer; qos: 0 | 1 | 2; retain: boolean }): void;
  close(): Promise<void>;
}

export async function startBridge(mockId: string, proxy: NonNullable<MqttSpec['proxy']>, publishLocal: BrokerPublish): Promise<MqttBridge> {
  const topics = proxy.topics ?? ['#'];
  const echoes = new Map<string, number>();
  const keyOf = (topic: string, payload: Buffer) => `${topic}\u0000${payload.toString('base64')}`;
  const record = (direction: 'in' | 'out', topic: string, payload: Buffer, qos: number, retain: boolean) => {
    if (journal.enabled) journal.mqtt({ proxied: true, mockId, matched: true, clientId: UPSTREAM_CLIENT_ID, direction, topic, qos, retain, payload });
  };
  const client: MqttClient = connect(proxy.upstream, {
    clientId: `mockd-bridge-${mockId}-${Math.random().toString(16).slice(2, 10)}`,
    reconnectPeriod: 1000,
    connectTimeout: CONNECT_WAIT_MS,
  });
  client.on('error', () => undefined);
  client.on('message', (topic, payload, packet) => {
    const key = keyOf(topic, payload);
    const pending = echoes.get(key);
    if (pending !== undefined) {
      if (pending <= 1) echoes.delete(key);
      else echoes.set(key, pending - 1);
      return;
    }
    record('in', topic, payload, packet.qos, packet.retain);
    publishLocal({ topic, payload, qos: packet.qos, retain: packet.retain });
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CONNECT_WAIT_MS);
    client.once('connect', () => {
      client.subscribe(topics, { qos: 1 }, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  });
  // Later reconnects subscribe again (mqtt.js resubscribes on its own when the session is clean).
  return {
    forward(packet) {
      if (!topics.some((f) => matchesFilter(f, packet.topic))) return;
      const key = keyOf(packet.topic, packet.payload);
      echoes.set(key, (echoes.get(key) ?? 0) + 1);
      record('out', packet.topic, packet.payload, packet.qos, packet.retain);
      client.publish(packet.topic, packet.payload, { qos: packet.qos, retain: packet.retain });
    },
    close: () => new Promise<void>((resolve) => client.end(true, {}, () => resolve())),
  };
}
