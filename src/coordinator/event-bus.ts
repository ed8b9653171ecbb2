// Live changes for the admin `/events` stream (contract §8.4): mock changes from the coordinator and connection
// events batched in from the workers' event ports.

import type { Mock } from '../mocks/types.ts';
import type { ConnectionEvent } from '../protocols/connections.ts';

export type BusEvent =
  | { type: 'mock.created' | 'mock.updated'; mock: Mock }
  | { type: 'mock.deleted'; id: string; mockType: string }
  | ConnectionEvent
  | { type: 'worker.restarted'; worker: string; restarts: number };

export type BusListener = (event: BusEvent) => void;

export class EventBus {
  readonly #listeners = new Set<BusListener>();

  subscribe(listener: BusListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: BusEvent): void {
    for (const l of this.#listeners) {
      try {
        l(event);
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }

  get size(): number {
    return this.#listeners.size;
  }
}
