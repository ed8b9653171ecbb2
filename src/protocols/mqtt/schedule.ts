// Scheduled messages of contract §6: every time a broker starts, each `topics[].messages[]` entry is published once
// after `delay`, then every `interval` when `repeat` is true, until the broker stops.

import type { MqttTopic } from '../../mocks/types.ts';
import { durationMs } from '../../util/duration.ts';
import { compilePayload } from './payload-template.ts';

export const DEFAULT_INTERVAL_MS = 5000;

/** How the broker publishes on its own behalf (no client, so onPublish never sees it). */
export type BrokerPublish = (packet: { topic: string; payload: string | Buffer; qos: 0 | 1 | 2; retain: boolean }) => void;

/** Starts every message timer; returns the function that stops them all. */
export function scheduleMessages(topics: readonly MqttTopic[], publish: BrokerPublish): () => void {
  const timers: NodeJS.Timeout[] = [];
  for (const t of topics) {
    for (const message of t.messages ?? []) {
      const payload = compilePayload(message.payload);
      const send = () =>
        publish({ topic: t.topic, payload: payload.render({ topic: t.topic }), qos: t.qos ?? 0, retain: t.retain ?? false });
      const delay = durationMs(message.delay, 0);
      const interval = Math.max(1, durationMs(message.interval, DEFAULT_INTERVAL_MS));
      timers.push(
        setTimeout(() => {
          send();
          if (message.repeat) timers.push(setInterval(send, interval).unref());
        }, delay).unref(),
      );
    }
  }
  return () => {
    for (const timer of timers) clearTimeout(timer);
    timers.length = 0;
  };
}
