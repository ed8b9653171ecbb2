// Caps on live MQTT clients, which contract §6 leaves open (README "Limits"): `--max-connections` across every
// broker of the worker, and a mock's `maxConnections` for its own broker. A refused CONNECT gets CONNACK 3.
//
// A slot is taken while CONNECT is being authenticated, before aedes registers the client, so two CONNECTs in flight
// cannot both take the last one. It is given back when the client's socket closes, however that happens (client,
// admin, mock change, takeover, or a failure before aedes registered the client), so a refusal never leaks a slot.

import type { Socket } from 'node:net';
import type { PoolCounter } from '../pool-counts.ts';

export class ConnectionSlots {
  #used = 0;

  /** `max` 0 = unlimited. `pooled`: count across the worker pool instead (`--max-connections`, README "Workers"). */
  constructor(
    readonly max: number,
    private readonly pooled?: PoolCounter,
  ) {}

  get isLimited(): boolean {
    return this.max > 0;
  }

  get isFull(): boolean {
    return this.max > 0 && (this.pooled?.value ?? this.#used) >= this.max;
  }

  /** Takes a slot unless the cap is full; across the pool as one atomic step, so two members never share the last one. */
  tryTake(): boolean {
    if (this.pooled) return this.pooled.tryTake(this.max);
    if (this.#used >= this.max) return false;
    this.#used++;
    return true;
  }

  give(): void {
    if (this.pooled) this.pooled.add(-1);
    else this.#used--;
  }
}

/** The caps that apply to one broker, or undefined when none is set (then nothing is counted at all). */
export function activeCaps(...caps: (ConnectionSlots | undefined)[]): ConnectionSlots[] | undefined {
  const limited = caps.filter((c): c is ConnectionSlots => c !== undefined && c.isLimited);
  return limited.length > 0 ? limited : undefined;
}

export function isAnyFull(caps: readonly ConnectionSlots[]): boolean {
  for (const c of caps) if (c.isFull) return true;
  return false;
}

/**
 * Takes a slot in every cap for this socket, all or none; each is given back once, when the socket closes. False
 * (nothing taken) when a cap is full, or when the socket is already gone: aedes may still authenticate a CONNECT whose
 * socket closed meanwhile, and a 'close' that has already been emitted would never give the slots back.
 */
export function takeSlots(caps: readonly ConnectionSlots[], socket: Socket): boolean {
  if (socket.destroyed) return false;
  for (let i = 0; i < caps.length; i++) {
    if (caps[i]!.tryTake()) continue;
    for (let j = 0; j < i; j++) caps[j]!.give();
    return false;
  }
  socket.once('close', () => {
    for (const c of caps) c.give();
  });
  return true;
}
