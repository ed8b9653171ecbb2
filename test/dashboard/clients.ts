// Real clients of each protocol for the dashboard tests, closed when the suite ends. Each waits for its goodbye
// within a bound: a WebSocket close code, an MQTT socket close, a gRPC status.

import { once, type EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import mqtt, { type MqttClient } from 'mqtt';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

export const HELLO_PROTO = fileURLToPath(new URL('../fixtures/grpc/helloworld.proto', import.meta.url));
const WAIT = () => AbortSignal.timeout(5000);

type Cleanup = (fn: () => unknown) => void;

export async function connectWebSocket(cleanup: Cleanup, url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  cleanup(() => ws.terminate());
  await once(ws, 'open', { signal: WAIT() });
  return ws;
}

export async function nextMessage(ws: WebSocket): Promise<string> {
  const [data] = await once(ws, 'message', { signal: WAIT() });
  return String(data);
}

/** Resolves with the close code the server sent. */
export async function closeCodeOf(ws: WebSocket): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) throw new Error('already closed');
  const [code] = await once(ws, 'close', { signal: WAIT() });
  return code as number;
}

export async function connectMqtt(cleanup: Cleanup, port: number, clientId: string): Promise<MqttClient> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId, reconnectPeriod: 0, protocolVersion: 4, connectTimeout: 5000 });
  cleanup(() => client.end(true));
  await once(client as unknown as EventEmitter, 'connect', { signal: WAIT() });
  return client;
}

export function mqttClosed(client: MqttClient): Promise<unknown> {
  return once(client as unknown as EventEmitter, 'close', { signal: WAIT() });
}

export function greeterClient(cleanup: Cleanup, port: number): grpc.Client & Record<string, Function> {
  const definition = loadSync(HELLO_PROTO, { keepCase: true, longs: String, defaults: true });
  const pkg = grpc.loadPackageDefinition(definition) as any;
  const client = new pkg.helloworld.Greeter(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  cleanup(() => client.close());
  return client;
}

/** The status a gRPC call ends with. Not `events.once`, which would reject on the 'error' that precedes a non-OK
 * status; the status carries the same code. */
export function grpcStatusOf(call: EventEmitter): Promise<grpc.StatusObject> {
  call.on('error', () => undefined);
  const signal = WAIT();
  return new Promise((resolve, reject) => {
    call.once('status', resolve);
    signal.addEventListener('abort', () => reject(new Error('no gRPC status within 5 s')), { once: true });
  });
}

export async function nextData(call: EventEmitter): Promise<any> {
  const [message] = await once(call, 'data', { signal: WAIT() });
  return message;
}

export { grpc };
