// Mock writes from the Mocks view (contract §8.3), each one admin call; the list follows from the `mock.*` events.

import { api, describeError } from './api.ts';
import type { LiveStore } from './live-store.ts';
import { notify } from './notices.ts';
import type { Mock } from './types.ts';

export async function deleteMock(store: LiveStore, mock: Mock): Promise<void> {
  try {
    await api(`/mocks/${encodeURIComponent(mock.id)}`, { method: 'DELETE' });
    store.refresh('mocks', true);
    notify('info', `Deleted ${mock.name || mock.id}`);
  } catch (err) {
    notify('error', describeError(err));
  }
}

/** Live connections of a mock in every protocol, from the stats' connectionsByMock (§9.1). */
export function liveConnectionsOf(state: { stats: Partial<Record<string, { connectionsByMock: Record<string, number> } | undefined>> }, mockId: string): number {
  return Object.values(state.stats).reduce((n, s) => n + (s?.connectionsByMock?.[mockId] ?? 0), 0);
}
