// The table's rows: every protocol's records in one shape, then the search box and the mock filter.

import type { DashboardState } from './live-store.ts';
import { toRow, type Row } from './protocols.ts';
import { PROTOCOLS, type Mock, type Protocol } from './types.ts';

export type Tab = Protocol | 'all';

export function buildRows(state: DashboardState, tab: Tab): Row[] {
  const protocols = tab === 'all' ? PROTOCOLS : [tab];
  return protocols.flatMap((p) => (state.connections[p] as never[]).map((record) => toRow(p, record)));
}

/** Keeps rows of `mockId` (when set) whose id, mock, target, client, status or worker contains every word of `search`. */
export function filterRows(rows: Row[], search: string, mockId: string, mocks: Map<string, Mock>): Row[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => {
    if (mockId && r.mockId !== mockId) return false;
    if (words.length === 0) return true;
    const haystack = [r.id, r.mockId, mocks.get(r.mockId)?.name ?? '', r.target, r.client, r.status, r.worker ?? ''].join(' ').toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}
