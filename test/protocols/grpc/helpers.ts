// Shared setup for the gRPC host tests: an in-process host, real grpc-js clients built from the fixture protos, and
// small promise wrappers that await a call's end (status) within a bound.

import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createGrpcHost } from '../../../src/protocols/grpc/host.ts';
import type { GrpcConnectionManager } from '../../../src/protocols/grpc/manager.ts';
import type { ProtocolHost } from '../../../src/protocols/host.ts';
import type { GrpcSpec, Mock } from '../../../src/mocks/types.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/grpc/', import.meta.url));
export const HELLO_PROTO = `${FIXTURES}helloworld.proto`;

export interface GrpcHostUnderTest {
  host: ProtocolHost;
  manager: GrpcConnectionManager;
}

export async function startHost(t: TestContext): Promise<GrpcHostUnderTest> {
  const host = await createGrpcHost({ host: '127.0.0.1', baseDir: process.cwd() });
  t.after(() => host.close());
  return { host, manager: host.managers[0] as GrpcConnectionManager };
}

let counter = 0;
export function grpcMock(spec: Partial<GrpcSpec>, id = `grpc_test_${++counter}`): Mock {
  const now = new Date().toISOString();
  return {
    id,
    type: 'grpc',
    name: '',
    description: '',
    enabled: true,
    createdAt: now,
    updatedAt: now,
    grpc: { port: 0, protoFile: HELLO_PROTO, ...spec },
  };
}

/** A Greeter client from the fixture proto, closed when the test ends. */
export function greeterClient(t: TestContext, port: number): grpc.Client & Record<string, Function> {
  const definition = loadSync(HELLO_PROTO, { keepCase: true, longs: String, defaults: true });
  const pkg = grpc.loadPackageDefinition(definition) as any;
  const client = new pkg.helloworld.Greeter(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  t.after(() => client.close());
  return client;
}

export interface UnaryOutcome {
  error?: grpc.ServiceError;
  response?: any;
}

export function callUnary(
  client: any,
  method: string,
  request: object,
  metadata = new grpc.Metadata(),
  options: grpc.CallOptions = {},
): Promise<UnaryOutcome> {
  return new Promise((resolve) => {
    client[method](request, metadata, { deadline: Date.now() + 5000, ...options }, (error: grpc.ServiceError | null, response: unknown) =>
      resolve(error ? { error } : { response }),
    );
  });
}

export interface StreamOutcome {
  messages: any[];
  status: grpc.StatusObject;
}

/** Reads a call that responds with a stream until its status arrives. */
export async function readToEnd(call: grpc.ClientReadableStream<any> | grpc.ClientDuplexStream<any, any>): Promise<StreamOutcome> {
  const messages: any[] = [];
  call.on('data', (m) => messages.push(m));
  const status = await statusOf(call);
  return { messages, status };
}

/** The final status of any client call. `events.once` would reject on the 'error' that precedes a non-OK status. */
export function statusOf(call: NodeJS.EventEmitter): Promise<grpc.StatusObject> {
  call.on('error', () => undefined);
  const signal = AbortSignal.timeout(5000);
  return new Promise((resolve, reject) => {
    call.once('status', resolve);
    signal.addEventListener('abort', () => reject(new Error('no status within 5 s')), { once: true });
  });
}

/** Resolves with the next message of a stream, within a bound. */
export async function nextMessage(call: NodeJS.EventEmitter): Promise<any> {
  const [message] = await once(call, 'data', { signal: AbortSignal.timeout(5000) });
  return message;
}

/** Resolves once the manager lists `count` streams (of `mockId`), re-checking on each connection event; bounded. */
export async function waitForStreams(manager: GrpcConnectionManager, count: number, mockId?: string): Promise<void> {
  const signal = AbortSignal.timeout(5000);
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (manager.list(mockId).length !== count) return;
      off();
      resolve();
    };
    const off = manager.onEvent(check);
    signal.addEventListener('abort', () => {
      off();
      reject(new Error(`expected ${count} streams, have ${manager.list(mockId).length}`));
    });
    check();
  });
}

export { grpc };
