// What flows on the coordinator's event bus and out of the admin `/events` stream (contract §8.4).

import type { Mock } from '../mocks/types.ts';
import type { ConnectionEvent, Protocol } from './protocols.ts';
import type { FaultEvent } from './faults.ts';

export type BusEvent =
  | { type: 'mock.created' | 'mock.updated'; mock: Mock }
  | { type: 'mock.deleted'; id: string; mockType: string }
  | ConnectionEvent
  | FaultEvent
  | { type: 'worker.restarted'; worker: string; restarts: number }
  /** What a mock change does (or, with dryRun, would do) to live connections and ports (README "Mock changes"). */
  | { type: 'change.decided'; dryRun: boolean; preview: MockChangePreview };

/** The change preview as events carry it (src/coordinator/change-preview.ts builds it). */
export interface MockChangePreview {
  mockId: string;
  protocol: Protocol | 'http';
  change: 'create' | 'update' | 'delete';
  onChange: 'close' | 'drain' | 'keep';
  action: 'close' | 'drain' | 'keep';
  drainTimeoutMs: number;
  fallback?: string;
  connections: Partial<Record<Protocol, { close: string[]; drain: string[]; keep: string[] }>>;
  ports: { bind: number[]; free: number[] };
}

export type BusListener = (event: BusEvent) => void;
