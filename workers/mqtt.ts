import { serveWorker } from '../src/protocols/worker-api.ts';
import { createMqttHost } from '../src/protocols/mqtt/host.ts';

await serveWorker([createMqttHost]);
