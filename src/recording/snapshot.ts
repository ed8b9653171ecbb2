// `POST /recordings/snapshot` (issue 21): journaled traffic, proxied or not, into mocks. Plain data in, mock inputs
// out; the coordinator collects the entries and creates the mocks.

import { validationError } from '../errors.ts';
import { parseFilter } from '../journal/filter.ts';
import type { JournalEntry, JournalFilter } from '../journal/types.ts';
import type { Mock } from '../mocks/types.ts';
import { parseMock, type MockInput } from '../mocks/schema/index.ts';
import { httpMocksOf, sseMocksOf } from './http.ts';
import { mqttMocksOf } from './mqtt.ts';
import { grpcMocksOf } from './grpc.ts';
import { parseTiming, type GapScale } from './timing.ts';
import { websocketMocksOf } from './websocket.ts';

export interface SnapshotRequest {
  filter: JournalFilter;
  scale: GapScale;
  dryRun: boolean;
  persist: boolean;
}

export function parseSnapshotRequest(body: unknown): SnapshotRequest {
  if (body === undefined || body === null) body = {};
  if (typeof body !== 'object' || Array.isArray(body)) throw validationError('body', 'must be an object');
  const b = body as Record<string, unknown>;
  const rawFilter = b.filter ?? {};
  if (typeof rawFilter !== 'object' || rawFilter === null || Array.isArray(rawFilter)) throw validationError('filter', 'must be an object');
  for (const k of ['dryRun', 'persist'] as const) {
    if (b[k] !== undefined && typeof b[k] !== 'boolean') throw validationError(k, 'must be a boolean');
  }
  return {
    filter: parseFilter(rawFilter as Record<string, unknown>, 'filter.'),
    scale: parseTiming(b.timing),
    dryRun: b.dryRun === true,
    persist: b.persist !== false,
  };
}

/** The path a non-proxied WebSocket or SSE mock serves, for entries that do not carry one. */
function pathOfMock(mocks: ReadonlyMap<string, Mock>): (mockId: string) => string | undefined {
  return (id) => {
    const m = mocks.get(id);
    return m?.websocket?.path ?? m?.http?.matcher.path;
  };
}

/** Mocks for the entries (oldest first), each validated as a create would validate it. */
export function buildSnapshot(entries: readonly JournalEntry[], scale: GapScale, mocks: ReadonlyMap<string, Mock>): MockInput[] {
  const pathOf = pathOfMock(mocks);
  const built = [
    ...httpMocksOf(entries, scale),
    ...sseMocksOf(entries, scale, pathOf),
    ...websocketMocksOf(entries, scale, pathOf),
    ...mqttMocksOf(entries, scale),
    ...grpcMocksOf(entries, scale, mocks),
  ];
  return built.map((m, i) => parseMock(m, ['mocks', i]));
}
