// The http worker: owns the mock port (HTTP mocks, SSE streams, WebSocket upgrades).
import { serveWorker } from '../src/protocols/worker-api.ts';
import { createHttpHost } from '../src/protocols/http/host.ts';

await serveWorker([createHttpHost]);
