// The worker side of the pool counters (src/contract/caps.ts): this member counts in its own region and a cap reads
// the sum over every member's region, so caps hold for the pool as a whole. A worker started without pool counters
// (unit tests) gets none, and each cap then falls back to the worker's own counts.

import { CAP_LIVE, CAP_MOCK_BASE, CAP_MOCK_SLOTS, CAP_MQTT_SLOTS, CAP_REGION, type PoolCountsInit } from '../contract/caps.ts';
import type { Protocol } from '../contract/protocols.ts';

let pool: { counts: Int32Array; base: number; members: number } | undefined;

export function usePoolCounts(init: PoolCountsInit | undefined): void {
  pool = init && { counts: new Int32Array(init.buffer), base: init.member * CAP_REGION, members: init.members };
}

/** One counter of the pool: this member adds to its own slot; `value` is the pool's total. */
export class PoolCounter {
  constructor(
    private readonly counts: Int32Array,
    private readonly own: number,
    private readonly slot: number,
    private readonly members: number,
  ) {}

  add(n: number): void {
    Atomics.add(this.counts, this.own, n);
  }

  get value(): number {
    let sum = 0;
    for (let m = 0; m < this.members; m++) sum += Atomics.load(this.counts, m * CAP_REGION + this.slot);
    return sum;
  }
}

function counterAt(slot: number): PoolCounter | undefined {
  return pool && new PoolCounter(pool.counts, pool.base + slot, slot, pool.members);
}

/** Live connections of `protocol` across the pool (kept by the ConnectionRegistry). */
export function liveCounter(protocol: Protocol): PoolCounter | undefined {
  return counterAt(CAP_LIVE[protocol]);
}

/** MQTT CONNECT slots across the pool (`--max-connections`). */
export function mqttSlotsCounter(): PoolCounter | undefined {
  return counterAt(CAP_MQTT_SLOTS);
}

/** A mock version's connections across the pool (its `maxConnections`); the pool hands out `capSlot`. */
export function mockCounter(capSlot: number | undefined): PoolCounter | undefined {
  if (capSlot === undefined || capSlot < 0 || capSlot >= CAP_MOCK_SLOTS) return undefined;
  return counterAt(CAP_MOCK_BASE + capSlot);
}
