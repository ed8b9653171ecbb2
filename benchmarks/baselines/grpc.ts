// Bare @grpc/grpc-js baseline for the grpc scenarios: the bench proto loaded with the same proto-loader options mockd
// uses, a static SayHello handler, and a StreamHellos handler that writes the same replies mockd's bench mock sends.

import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import net from 'node:net';
import { argValue } from './ready.ts';
import { serveBaseline } from './threads.ts';

const PROTO = fileURLToPath(new URL('../protos/helloworld.proto', import.meta.url));
const STREAM_MESSAGES = Number(argValue('stream-messages', '100'));
const definition = loadSync(PROTO, { keepCase: true, longs: String, enums: String, bytes: String, defaults: true, oneofs: true });
const pkg = grpc.loadPackageDefinition(definition) as any;
const reply = { message: 'Hello from mockd bench' };

const handlers = {
  SayHello(_call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) {
    callback(null, reply);
  },
  StreamHellos(call: grpc.ServerWritableStream<object, object>) {
    for (let i = 0; i < STREAM_MESSAGES; i++) call.write(reply);
    call.end();
  },
};

// `--threads N`: grpc-js cannot bind with reusePort, so each thread feeds its server from a reusePort net.Server
// through a connection injector, exactly as N mockd grpc workers do (src/protocols/grpc/server.ts).
await serveBaseline(import.meta.url, async (port, reusePort) => {
  const server = new grpc.Server();
  server.addService(pkg.helloworld.Greeter.service, handlers);
  if (!reusePort) {
    const bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    return { port: bound, close: () => server.forceShutdown() };
  }
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const listener = net.createServer({ noDelay: true }, (socket) => injector.injectConnection(socket));
  await new Promise<void>((resolve) => listener.listen({ port, host: '127.0.0.1', reusePort: true } as net.ListenOptions, resolve));
  return {
    port: (listener.address() as net.AddressInfo).port,
    close: () => {
      listener.close();
      server.forceShutdown();
    },
  };
});
