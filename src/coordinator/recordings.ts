// Snapshots of journaled traffic into mocks (issue 21): the coordinator collects the entries from every worker,
// src/recording builds the mocks, and they are created as one bulk write (or only answered, on a dry run).

import type { Coordinator } from './coordinator.ts';
import type { MockInput } from '../mocks/schema/index.ts';
import type { Mock } from '../mocks/types.ts';
import { buildSnapshot, type SnapshotRequest } from '../recording/snapshot.ts';

export interface SnapshotResult {
  dryRun: boolean;
  /** Entries the filter kept. */
  entries: number;
  /** The mocks built: as created (with ids), or, on a dry run, as they would be posted. */
  mocks: (Mock | MockInput)[];
  created: number;
  failedIds: string[];
  warnings: string[];
  /** Proxy mocks deleted first (`stopProxies`). */
  stopped: string[];
}

export async function takeSnapshot(c: Coordinator, request: SnapshotRequest & { stopProxies?: boolean }): Promise<SnapshotResult> {
  const { requests } = await c.journal.query(request.filter, { limit: Number.MAX_SAFE_INTEGER });
  const byId = new Map(c.store.all().map((m) => [m.id, m]));
  const inputs = buildSnapshot(requests, request.scale, byId);
  const base = { entries: requests.length, created: 0, failedIds: [], warnings: [], stopped: [] };
  if (request.dryRun) return { dryRun: true, mocks: inputs, ...base };
  const stopped: string[] = [];
  if (request.stopProxies) {
    // The proxies whose traffic was taken step aside, so a replay can serve their WebSocket paths.
    const sources = new Set(requests.map((e) => e.mockId).filter((id): id is string => id !== undefined));
    for (const id of sources) {
      const m = byId.get(id);
      if (m?.http?.proxy || m?.websocket?.proxy) {
        await c.changes.delete(id);
        stopped.push(id);
      }
    }
  }
  if (inputs.length === 0) return { dryRun: false, mocks: [], ...base, stopped };
  const result = await c.changes.bulk(inputs, false);
  if (!request.persist) for (const m of result.mocks) c.ephemeral.add(m.id);
  if (!request.persist) await c.commit();
  return { dryRun: false, entries: requests.length, mocks: result.mocks, created: result.created, failedIds: result.failedIds, warnings: result.warnings, stopped };
}
