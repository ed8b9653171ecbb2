// The http worker: owns the mock port and serves HTTP mocks, SSE streams and WebSocket upgrades on it.
import { serveWorker } from '../src/protocols/serve-worker.ts';
import { createMockPortHost } from '../src/protocols/mock-port/server.ts';
import { createHttpService } from '../src/protocols/http/service.ts';
import { createSseService } from '../src/protocols/sse/service.ts';
import { createWebSocketService } from '../src/protocols/websocket/service.ts';

await serveWorker([createMockPortHost({ http: createHttpService, sse: createSseService, websocket: createWebSocketService })]);
