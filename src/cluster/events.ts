// `/events` across replicas: this replica publishes its own connection events, and puts every other replica's on its
// bus with the id qualified (`ws-4@b`) and the replica named, as the connection listings show them.

import type { Redis } from 'ioredis';
import type { BusEvent } from '../contract/events.ts';
import type { ConnectionEvent } from '../contract/protocols.ts';
import type { EventBus } from '../coordinator/event-bus.ts';
import type { ClusterKeys } from './keys.ts';


export class ClusterEvents {
  #unsubscribe?: () => void;

  constructor(
    private readonly pub: Redis,
    private readonly keys: ClusterKeys,
    private readonly self: string,
    private readonly bus: EventBus,
  ) {}

  start(): void {
    this.#unsubscribe = this.bus.subscribe((e: BusEvent) => {
      if ((e.type !== 'connection.opened' && e.type !== 'connection.closed') || e.replica) return;
      void this.pub.publish(this.keys.events, JSON.stringify({ ...e, replica: this.self })).catch(() => undefined);
    });
  }

  onMessage(raw: string): void {
    const e = JSON.parse(raw) as ConnectionEvent & { replica: string };
    if (e.replica === this.self) return;
    this.bus.emit({ ...e, id: `${e.id}@${e.replica}` });
  }

  stop(): void {
    this.#unsubscribe?.();
  }
}
