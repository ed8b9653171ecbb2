// Placeholder until the SSE protocol lands: SSE mocks answer 501 and no stream is ever listed.

import type { ServerResponse } from 'node:http';
import { ConnectionRegistry, type ConnectionManager, type ConnectionRecord } from '../connections.ts';
import type { SseService, SseServiceFactory } from '../http/services.ts';
import { sendJson } from '../http/respond.ts';

export const createSseService: SseServiceFactory = () => {
  const registry = new ConnectionRegistry<ConnectionRecord>('sse');
  const manager: ConnectionManager = {
    protocol: 'sse',
    list: (mockId) => registry.list(mockId),
    get: (id) => registry.get(id),
    close: (id, reason) => registry.close(id, reason),
    closeByMock: (mockId, reason) => registry.closeByMock(mockId, reason),
    closeAll: (reason) => registry.closeAll(reason),
    stats: () => ({ totalConnections: 0, activeConnections: 0, totalEventsSent: 0, totalBytesSent: 0, connectionErrors: 0, connectionsByMock: {} }),
    onEvent: (l) => registry.onEvent(l),
  };
  const service: SseService = {
    manager,
    serve(_req, res: ServerResponse) {
      sendJson(res, 501, { error: 'internal_error', message: 'SSE mocks are not available yet' });
    },
    async closeMock() {},
    async close() {},
  };
  return service;
};
