// Shared setup for the MQTT host tests: an in-process host on 127.0.0.1, MQTT mocks, and real mqtt.js clients
// (MQTT 3.1.1, never reconnecting) whose events are awaited within a bound.

import { once, type EventEmitter } from 'node:events';
import type { TestContext } from 'node:test';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Mock, MqttSpec } from '../../../src/mocks/types.ts';
import type { ProtocolHost } from '../../../src/protocols/host.ts';
import { createMqttHost } from '../../../src/protocols/mqtt/host.ts';
import type { MqttConnectionManager } from '../../../src/protocols/mqtt/manager.ts';
import { deferred, within } from '../../helpers/wait.ts';

export const WAIT_MS = 5000;

/** The next `event` of an mqtt.js client (a typed emitter node:events does not recognise), within WAIT_MS. */
export function nextEvent(client: MqttClient, event: string): Promise<unknown[]> {
  return once(client as unknown as EventEmitter, event, { signal: AbortSignal.timeout(WAIT_MS) });
}

export type MqttHost = ProtocolHost & { manager: MqttConnectionManager };

export async function startHost(t: TestContext): Promise<MqttHost> {
  const host = (await createMqttHost({ host: '127.0.0.1', baseDir: process.cwd() })) as MqttHost;
  t.after(() => host.close());
  return host;
}

export function mqttMock(id: string, spec: Partial<MqttSpec> = {}): Mock {
  const now = new Date().toISOString();
  return {
    id,
    type: 'mqtt',
    name: '',
    description: '',
    enabled: true,
    createdAt: now,
    updatedAt: now,
    mqtt: { port: 0, ...spec },
  };
}

/** Applies the mock and returns the port its broker listens on. */
export async function applyMock(host: ProtocolHost, mock: Mock): Promise<number> {
  const runtime = await host.apply(mock);
  if (runtime.port === undefined) throw new Error('no port in runtime');
  return runtime.port;
}

const closeOf = new WeakMap<MqttClient, Promise<void>>();

/** A connected MQTT 3.1.1 client; it is force-closed after the test. */
export async function connect(t: TestContext, port: number, options: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect({
    host: '127.0.0.1',
    port,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: WAIT_MS,
    ...options,
  });
  t.after(() => client.end(true));
  const closing = deferred();
  client.once('close', () => closing.resolve());
  closeOf.set(client, closing.promise);
  const connected = deferred();
  client.once('connect', () => connected.resolve());
  client.once('error', connected.reject);
  client.once('close', () => connected.reject(new Error('closed before CONNACK')));
  await within(connected.promise, `a CONNACK from 127.0.0.1:${port}`, WAIT_MS + 1000);
  return client;
}

/** Resolves with the error a refused CONNECT produces (e.g. code 4). */
export async function connectRefused(t: TestContext, port: number, options: IClientOptions = {}): Promise<Error & { code?: number }> {
  const client = mqtt.connect({ host: '127.0.0.1', port, protocolVersion: 4, reconnectPeriod: 0, ...options });
  t.after(() => client.end(true));
  const [err] = await nextEvent(client, 'error');
  return err as Error & { code?: number };
}

export interface Received {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
}

/** Collects every message a client receives; `next(n)` waits for the first n of them. */
export function collect(client: MqttClient): { messages: Received[]; next(count?: number): Promise<Received[]> } {
  const messages: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain });
    for (const w of waiters.filter((w) => messages.length >= w.count)) w.resolve();
  });
  return {
    messages,
    next(count = 1) {
      if (messages.length >= count) return Promise.resolve(messages.slice(0, count));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${messages.length} of ${count} messages: ${JSON.stringify(messages)}`)), WAIT_MS);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(messages.slice(0, count))) });
      });
    },
  };
}

/** Resolves when the connection of a client from `connect()` has closed (even if it already has). */
export async function closed(client: MqttClient): Promise<void> {
  await within(closeOf.get(client) ?? Promise.resolve(), 'the client connection closing');
}
