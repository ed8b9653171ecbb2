// Live changes for the admin `/events` stream (contract §8.4): mock changes from the coordinator and connection
// events batched in from the workers' event ports.

import type { BusEvent, BusListener } from '../contract/events.ts';

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
