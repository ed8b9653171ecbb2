import { serveWorker } from '../src/protocols/worker-api.ts';
import { createGrpcHost } from '../src/protocols/grpc/host.ts';

await serveWorker([createGrpcHost]);
