// gRPC load with @grpc/grpc-js clients (unary is driven by h2load instead when it is installed). One grpc-js channel
// tops out near 5k calls/s on a small machine, so this thread spreads its calls over several channels, each on its
// own connection (a local subchannel pool), with `connections` calls in flight in all, each re-issued as it ends.

import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { Load, OpenLoad, Recorder, Share } from './recorder.ts';

export interface GrpcLoadConfig {
  /** host:port */
  address: string;
  /** Messages each StreamHellos call should carry; one that ends short counts as an error. */
  streamMessages?: number;
}

const PROTO = fileURLToPath(new URL('../protos/helloworld.proto', import.meta.url));
/** Calls in flight per channel: enough to fill one HTTP/2 connection without one channel doing all the work. */
const CALLS_PER_CHANNEL = 5;
const READY_TIMEOUT_MS = 10_000;

type GreeterClient = grpc.Client & {
  SayHello(req: object, cb: (err: grpc.ServiceError | null) => void): grpc.ClientUnaryCall;
  StreamHellos(req: object): grpc.ClientReadableStream<object>;
};

async function openClients(config: GrpcLoadConfig, share: Share): Promise<GreeterClient[]> {
  const definition = loadSync(PROTO, { keepCase: true, defaults: true });
  const Greeter = (grpc.loadPackageDefinition(definition) as any).helloworld.Greeter as new (...a: unknown[]) => GreeterClient;
  const channels = Math.max(1, Math.ceil(share.connections / CALLS_PER_CHANNEL));
  const clients = Array.from(
    { length: channels },
    () => new Greeter(config.address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }),
  );
  try {
    await Promise.all(
      clients.map((c) => new Promise<void>((resolve, reject) => c.waitForReady(Date.now() + READY_TIMEOUT_MS, (err) => (err ? reject(err) : resolve())))),
    );
  } catch (err) {
    // This thread outlives the run: leave no channels behind.
    for (const c of clients) c.close();
    throw err;
  }
  return clients;
}

function closedLoop(clients: GreeterClient[], share: Share, call: (client: GreeterClient, next: () => void) => void): Load {
  let running = false;
  return {
    start() {
      running = true;
      for (let i = 0; i < share.connections; i++) {
        const client = clients[i % clients.length]!;
        const next = () => {
          if (running) call(client, next);
        };
        next();
      }
    },
    async stop() {
      running = false;
      for (const c of clients) c.close();
    },
  };
}

export const openUnaryLoad: OpenLoad<GrpcLoadConfig> = async (config, share, rec) => {
  const clients = await openClients(config, share);
  const request = { name: 'bench' };
  return closedLoop(clients, share, (client, next) => {
    const startedAt = performance.now();
    client.SayHello(request, (err) => {
      if (err) rec.error();
      else rec.done(startedAt);
      next();
    });
  });
};

export const openStreamLoad: OpenLoad<GrpcLoadConfig> = async (config, share, rec) => {
  const clients = await openClients(config, share);
  const request = { name: 'bench' };
  return closedLoop(clients, share, (client, next) => streamOnce(client, request, config.streamMessages, rec, next));
};

function streamOnce(client: GreeterClient, request: object, expected: number | undefined, rec: Recorder, next: () => void): void {
  const startedAt = performance.now();
  let received = 0;
  const call = client.StreamHellos(request);
  call.on('data', () => {
    if (received++ === 0) rec.latencySince(startedAt);
    rec.count();
  });
  call.on('error', (err: grpc.ServiceError) => {
    if (err.code !== grpc.status.CANCELLED) rec.error();
  });
  call.on('status', (status: grpc.StatusObject) => {
    if (status.code === grpc.status.OK && expected !== undefined && received !== expected) rec.error();
    next();
  });
}
