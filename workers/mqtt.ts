import { serveWorker } from '../src/protocols/serve-worker.ts';
import { createMqttHost } from '../src/protocols/mqtt/host.ts';

await serveWorker([createMqttHost]);
