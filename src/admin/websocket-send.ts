// `POST /websocket/connections/{id}/send` (contract §9.2): the WebSocket manager's one extra verb. The body is checked
// here, before any cross-thread call; the http worker answers not_found for an unknown or closed connection.

import type { H3 } from 'h3';
import { MockdError, validationError } from '../errors.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { isBase64 } from '../util/base64.ts';
import { PROTOCOL_PROFILES } from '../contract/profiles.ts';
import { json, param, readJson } from './respond.ts';

export interface WsSendRequest {
  type: 'text' | 'binary';
  data: string;
}

/** Validates a send body: `type` text|binary (default text), `data` a string, base64 when binary. */
export function parseSendRequest(body: unknown): WsSendRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw validationError('body', 'must be an object');
  const { type = 'text', data } = body as { type?: unknown; data?: unknown };
  if (type !== 'text' && type !== 'binary') {
    throw new MockdError('invalid_type', `invalid message type ${JSON.stringify(type)}: must be "text" or "binary"`);
  }
  if (data === undefined) throw validationError('data', 'required');
  if (typeof data !== 'string') throw validationError('data', 'must be a string');
  if (type === 'binary' && !isBase64(data)) throw new MockdError('invalid_base64', 'invalid base64 data');
  return { type, data };
}

export function registerWebSocketSendRoute(app: H3, c: Coordinator): void {
  app.post(`${PROTOCOL_PROFILES.websocket.routes.list}/:id/send`, async (event) => {
    const id = param(event, 'id');
    const { type, data } = parseSendRequest(await readJson(event));
    await c.sendWebSocket(id, type, data);
    return json(200, { message: 'Message sent', connection: id, type });
  });
}
