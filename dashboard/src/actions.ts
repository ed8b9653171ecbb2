// What the user can do from the dashboard, each one admin call (contract §8.3, §9). After a close the affected
// list is refetched at once: the close route answers only once the connection is gone from every listing (§9.1).

import { api, describeError } from './api.ts';
import type { LiveStore } from './live-store.ts';
import { notify } from './notices.ts';
import { PROTOCOL_INFO, protocolOfMock } from './protocols.ts';
import type { Mock, Protocol } from './types.ts';

async function attempt(action: () => Promise<string>): Promise<void> {
  try {
    notify('info', await action());
  } catch (err) {
    notify('error', describeError(err));
  }
}

export function closeConnection(store: LiveStore, protocol: Protocol, id: string): Promise<void> {
  return attempt(async () => {
    await api(`${PROTOCOL_INFO[protocol].routes.list}/${encodeURIComponent(id)}`, { method: 'DELETE' });
    store.refresh(protocol, true);
    return `Closed ${id}`;
  });
}

export function closeConnectionsOfMock(store: LiveStore, mock: Mock): Promise<void> {
  return attempt(async () => {
    const protocol = protocolOfMock(mock);
    if (!protocol) return `${mock.id} has no live connections`;
    const info = PROTOCOL_INFO[protocol];
    const res = await api<{ closed: number }>(`/mocks/${encodeURIComponent(mock.id)}/${info.routes.scoped}/connections`, { method: 'DELETE' });
    store.refresh(protocol, true);
    return `Closed ${res.closed} connection${res.closed === 1 ? '' : 's'} of ${mock.name || mock.id}`;
  });
}

export function toggleMock(store: LiveStore, mock: Mock): Promise<void> {
  return attempt(async () => {
    const res = await api<{ message: string }>(`/mocks/${encodeURIComponent(mock.id)}/toggle`, { method: 'POST' });
    store.refresh('mocks', true);
    return `${mock.name || mock.id}: ${res.message}`;
  });
}

/** `POST /websocket/connections/{id}/send` (§9.2). Rejects with the API's error so the dialog can show it. */
export async function sendWebSocketMessage(id: string, type: 'text' | 'binary', data: string): Promise<void> {
  await api(`/websocket/connections/${encodeURIComponent(id)}/send`, { method: 'POST', body: { type, data } });
}
