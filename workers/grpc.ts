import { serveWorker } from '../src/protocols/serve-worker.ts';
import { createGrpcHost } from '../src/protocols/grpc/host.ts';

await serveWorker([createGrpcHost]);
