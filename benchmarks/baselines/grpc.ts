// Bare @grpc/grpc-js baseline for the grpc scenarios: the bench proto loaded with the same proto-loader options mockd
// uses, a static SayHello handler, and a StreamHellos handler that writes the same replies mockd's bench mock sends.

import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { announceReady, argValue, onShutdown } from './ready.ts';

const PROTO = fileURLToPath(new URL('../protos/helloworld.proto', import.meta.url));
const STREAM_MESSAGES = Number(argValue('stream-messages', '100'));
const definition = loadSync(PROTO, { keepCase: true, longs: String, enums: String, bytes: String, defaults: true, oneofs: true });
const pkg = grpc.loadPackageDefinition(definition) as any;
const reply = { message: 'Hello from mockd bench' };

const server = new grpc.Server();
server.addService(pkg.helloworld.Greeter.service, {
  SayHello(_call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) {
    callback(null, reply);
  },
  StreamHellos(call: grpc.ServerWritableStream<object, object>) {
    for (let i = 0; i < STREAM_MESSAGES; i++) call.write(reply);
    call.end();
  },
});

const port = await new Promise<number>((resolve, reject) =>
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
);
announceReady({ port });
onShutdown(() => server.forceShutdown());
