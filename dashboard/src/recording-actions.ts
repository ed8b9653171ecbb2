// Record and replay from the dashboard (issue 21): snapshot a mock's or one connection's journaled traffic into
// mocks with `POST /recordings/snapshot`. A proxy mock's snapshot stops the proxy first (`stopProxies`), so the replay
// can take over its path or port at once.

import { api, describeError } from './api.ts';
import type { LiveStore } from './live-store.ts';
import { notify } from './notices.ts';
import type { Mock } from './types.ts';

interface SnapshotAnswer {
  created: number;
  entries: number;
  failedIds: string[];
  warnings: string[];
  stopped: string[];
}

/** A mock that forwards to a real service instead of answering. */
export function isProxyMock(mock: Mock): boolean {
  return Boolean(mock.http?.proxy ?? mock.websocket?.proxy ?? mock.mqtt?.proxy ?? mock.grpc?.proxy);
}

async function snapshot(store: LiveStore, body: Record<string, unknown>, what: string): Promise<void> {
  try {
    const res = await api<SnapshotAnswer>('/recordings/snapshot', { method: 'POST', body: { timing: 'original', ...body } });
    store.refresh('mocks', true);
    const stopped = res.stopped.length > 0 ? `, stopped ${res.stopped.join(', ')}` : '';
    notify(res.failedIds.length > 0 ? 'error' : 'info', `Snapshot of ${what}: created ${res.created} mock${res.created === 1 ? '' : 's'} from ${res.entries} entr${res.entries === 1 ? 'y' : 'ies'}${stopped}${res.warnings.length > 0 ? ` (${res.warnings.join('; ')})` : ''}`);
  } catch (err) {
    notify('error', describeError(err));
  }
}

export function snapshotMock(store: LiveStore, mock: Mock): Promise<void> {
  return snapshot(store, { filter: { mockId: mock.id }, stopProxies: isProxyMock(mock) }, mock.name || mock.id);
}

export function snapshotConnection(store: LiveStore, mockId: string, connectionId: string): Promise<void> {
  return snapshot(store, { filter: { mockId, connectionId } }, connectionId);
}
