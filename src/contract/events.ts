// What flows on the coordinator's event bus and out of the admin `/events` stream (contract §8.4).

import type { Mock } from '../mocks/types.ts';
import type { ConnectionEvent } from './protocols.ts';
import type { FaultEvent } from './faults.ts';

export type BusEvent =
  | { type: 'mock.created' | 'mock.updated'; mock: Mock }
  | { type: 'mock.deleted'; id: string; mockType: string }
  | ConnectionEvent
  | FaultEvent
  | { type: 'worker.restarted'; worker: string; restarts: number };

export type BusListener = (event: BusEvent) => void;
