// Shared setup for the journal tests (contract §12): a real mockd, MQTT brokers and gRPC servers created through the
// admin API, real mqtt.js and grpc-js clients, and the journal routes.

import { once, type EventEmitter } from 'node:events';
import { after, before } from 'node:test';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { startMockd } from '../helpers/mockd.ts';
import { callUnary, greeterClient, grpc, HELLO_PROTO } from '../protocols/grpc/helpers.ts';

export { callUnary, grpc, HELLO_PROTO };

export type Mockd = Awaited<ReturnType<typeof startMockd>>;
type Ctx = { after(fn: () => unknown): void };

export const GREETER = 'helloworld.Greeter';
export const SAY_HELLO = '/helloworld.Greeter/SayHello';

/** One mockd for every test of the calling suite (started in `before`, closed in `after`); read it via `get()`. */
export function sharedMockd(opts: Parameters<typeof startMockd>[1] = {}): () => Mockd {
  let m: Mockd | undefined;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    m = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) }, opts);
  });
  after(async () => {
    for (const fn of cleanups) await fn();
  });
  return () => m!;
}

/** An MQTT broker mock on a free port. */
export async function createBroker(m: Mockd, topics: unknown[] = [{ topic: 'a/b' }], id?: string): Promise<{ id: string; port: number }> {
  const mock = await m.createMock({ ...(id ? { id } : {}), type: 'mqtt', mqtt: { port: 0, topics } });
  return { id: mock.id, port: mock.mqtt.port };
}

/** A connected MQTT 3.1.1 client (never reconnecting), force-closed after the test. */
export async function connectMqtt(t: Ctx, port: number, clientId: string, options: IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect({ host: '127.0.0.1', port, clientId, protocolVersion: 4, reconnectPeriod: 0, ...options });
  t.after(() => client.endAsync(true));
  await once(client as unknown as EventEmitter, 'connect', { signal: AbortSignal.timeout(5000) });
  return client;
}

/** The next message a client receives, within a bound. */
export async function nextMqttMessage(client: MqttClient): Promise<{ topic: string; payload: Buffer; qos: number; retain: boolean }> {
  const [topic, payload, packet] = await once(client as unknown as EventEmitter, 'message', { signal: AbortSignal.timeout(5000) });
  return { topic, payload, qos: packet.qos, retain: packet.retain };
}

/** A gRPC mock serving the fixture Greeter with the given method configs. */
export async function createGrpc(m: Mockd, methods: Record<string, unknown>): Promise<{ id: string; port: number }> {
  const mock = await m.createMock({ type: 'grpc', grpc: { port: 0, protoFile: HELLO_PROTO, services: { [GREETER]: { methods } } } });
  return { id: mock.id, port: mock.grpc.port };
}

export function greeter(t: Ctx, port: number): any {
  return greeterClient(t as never, port);
}

/** `GET /requests` with the given query. */
export async function requests(m: Mockd, query: Record<string, string> = {}): Promise<{ requests: any[]; count: number; total: number }> {
  const r = await m.api(`/requests?${new URLSearchParams(query)}`);
  if (r.status !== 200) throw new Error(`GET /requests: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/**
 * Starts `POST /requests/wait` and resolves once the server has taken it: a later admin request has been answered,
 * so the wait already noted where "newer than the call" begins. Traffic sent after this is seen by the wait.
 */
export async function startWait(m: Mockd, body: Record<string, unknown>): Promise<{ result: Promise<{ status: number; body: any }>; startedAt: number }> {
  const startedAt = performance.now();
  const result = m.api('/requests/wait', { method: 'POST', body });
  await m.api('/requests?limit=0');
  return { result, startedAt };
}

/** Entry ids as numbers. */
export const idNumber = (id: string) => Number(id.slice(4));
