// MQTT publish→subscribe load: per thread one subscriber (filter `bench/<thread>/+`) and `connections` publishers,
// each publishing on its own topic with a small window of messages in flight. A message counts when the subscriber
// receives it, timed from its publish; the publisher then sends the next (closed loop). MQTT keeps the order of one
// publisher's messages on one topic (MQTT 3.1.1 §4.6), so send times are matched first-in, first-out.

import { performance } from 'node:perf_hooks';
import mqtt, { type MqttClient } from 'mqtt';
import type { OpenLoad } from './recorder.ts';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long stop() waits for messages already sent to arrive (see stop()). */
const DRAIN_MS = 2000;

export interface MqttLoadConfig {
  url: string;
  qos: 0 | 1;
  /** Messages each publisher keeps in flight (default 4). */
  window?: number;
  /** Payload bytes (default 32). */
  size?: number;
}

const CONNECT_TIMEOUT_MS = 10_000;
/** A message not received by then is counted lost (QoS 0 may drop) and its slot reused, so no publisher stalls. */
const LOST_AFTER_MS = 2000;

function connect(url: string, clientId: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { clientId, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: CONNECT_TIMEOUT_MS, clean: true });
    client.once('connect', () => {
      client.off('error', reject);
      resolve(client);
    });
    client.once('error', reject);
  });
}

export const openLoad: OpenLoad<MqttLoadConfig> = async (config, share, rec) => {
  const window = config.window ?? 4;
  const payload = Buffer.alloc(config.size ?? 32, 'm');
  const run = `${process.pid}-${share.index}-${Date.now().toString(36)}`;
  const prefix = `bench/${run}`;
  const opened: MqttClient[] = [];
  const open = async (clientId: string) => {
    const client = await connect(config.url, clientId);
    opened.push(client);
    return client;
  };
  let subscriber: MqttClient;
  let publishers: MqttClient[];
  try {
    subscriber = await open(`bench-sub-${run}`);
    await subscriber.subscribeAsync(`${prefix}/+`, { qos: config.qos });
    publishers = await Promise.all(Array.from({ length: share.connections }, (_, i) => open(`bench-pub-${run}-${i}`)));
  } catch (err) {
    // This thread outlives the run: leave no clients behind.
    for (const client of opened) client.end(true);
    throw err;
  }
  const sentAt = publishers.map(() => [] as number[]);
  let running = false;

  const publish = (i: number) => {
    sentAt[i]!.push(performance.now());
    publishers[i]!.publish(`${prefix}/${i}`, payload, { qos: config.qos });
  };
  subscriber.on('message', (topic) => {
    const i = Number(topic.slice(prefix.length + 1));
    const started = sentAt[i]?.shift();
    if (started === undefined) return;
    rec.done(started);
    if (running) publish(i);
  });
  const watchdog = setInterval(() => {
    const now = performance.now();
    sentAt.forEach((queue, i) => {
      while (queue.length > 0 && now - queue[0]! > LOST_AFTER_MS) {
        queue.shift();
        rec.error();
        if (running) publish(i);
      }
    });
  }, LOST_AFTER_MS / 4);
  for (const client of [subscriber, ...publishers]) {
    client.on('error', () => undefined);
    client.on('close', () => {
      if (running) rec.error();
    });
  }

  return {
    start() {
      running = true;
      for (let i = 0; i < publishers.length; i++) for (let k = 0; k < window; k++) publish(i);
    },
    async stop() {
      running = false;
      // Messages still on their way are received before the clients go, so the generator's total is every delivery
      // the broker made (GET /metrics must show the same number); lost ones are not waited for long.
      const deadline = performance.now() + DRAIN_MS;
      while (sentAt.some((q) => q.length > 0) && performance.now() < deadline) await sleep(5);
      clearInterval(watchdog);
      await Promise.all([subscriber, ...publishers].map((c) => c.endAsync(true).catch(() => undefined)));
    },
  };
};
