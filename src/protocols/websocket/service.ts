// Placeholder until the WebSocket protocol lands: every upgrade gets 404 and no connection is ever listed.

import { ConnectionRegistry, type ConnectionManager, type ConnectionRecord } from '../connections.ts';
import type { WebSocketService, WebSocketServiceFactory } from '../http/services.ts';

export const createWebSocketService: WebSocketServiceFactory = () => {
  const registry = new ConnectionRegistry<ConnectionRecord>('websocket');
  const manager: ConnectionManager = {
    protocol: 'websocket',
    list: (mockId) => registry.list(mockId),
    get: (id) => registry.get(id),
    close: (id, reason) => registry.close(id, reason),
    closeByMock: (mockId, reason) => registry.closeByMock(mockId, reason),
    closeAll: (reason) => registry.closeAll(reason),
    stats: () => ({ totalConnections: 0, activeConnections: 0, totalMessagesSent: 0, totalMessagesRecv: 0, connectionsByMock: {} }),
    onEvent: (l) => registry.onEvent(l),
  };
  const service: WebSocketService = {
    manager,
    async apply() {},
    async remove() {},
    handleUpgrade(req, socket) {
      const body = JSON.stringify({ error: 'websocket_endpoint_not_found', path: (req.url ?? '/').split('?')[0] });
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
    async close() {},
  };
  return service;
};
