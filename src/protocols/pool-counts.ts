// The worker side of the pool counters (src/contract/caps.ts): this member counts in its own region and in the pool's
// totals, and a cap admits through the total with a compare-and-swap, so caps hold exactly for the pool as a whole:
// two members admitting at the same moment cannot both take the last slot. A worker started without pool counters
// (unit tests) counts the live connections of each protocol in a region of its own.

import { CAP_LIVE, CAP_MOCK_BASE, CAP_MOCK_SLOTS, CAP_MQTT_SLOTS, CAP_REGION, type PoolCountsInit } from '../contract/caps.ts';
import type { Protocol } from '../contract/protocols.ts';

let pool: { counts: Int32Array; base: number; totals: number } | undefined;

export function usePoolCounts(init: PoolCountsInit | undefined): void {
  pool = init && { counts: new Int32Array(init.buffer), base: init.member * CAP_REGION, totals: init.members * CAP_REGION };
}

/** One counter of the pool: this member counts in its own slot (zeroed if it dies) and in the pool's total. */
export class PoolCounter {
  constructor(
    private readonly counts: Int32Array,
    private readonly own: number,
    private readonly total: number,
  ) {}

  add(n: number): void {
    Atomics.add(this.counts, this.own, n);
    Atomics.add(this.counts, this.total, n);
  }

  /**
   * Takes one if the pool's total is below `max`, as one atomic step across members (a compare-and-swap on the
   * total), so a cap is never passed, nor a slot refused that was free.
   */
  tryTake(max: number): boolean {
    for (;;) {
      const seen = Atomics.load(this.counts, this.total);
      if (seen >= max) return false;
      if (Atomics.compareExchange(this.counts, this.total, seen, seen + 1) === seen) break;
    }
    Atomics.add(this.counts, this.own, 1);
    return true;
  }

  get value(): number {
    return Atomics.load(this.counts, this.total);
  }
}

function counterAt(slot: number): PoolCounter | undefined {
  return pool && new PoolCounter(pool.counts, pool.base + slot, pool.totals + slot);
}

/** Counts of a worker outside a pool: one member's region and its totals. */
let unpooled: Int32Array | undefined;

/**
 * Live connections of `protocol` across the pool, for `--max-connections` and `--max-sse-streams`: a service takes
 * one before it accepts a client (before the handshake completes) and gives it back when the socket closes.
 */
export function liveCounter(protocol: Protocol): PoolCounter {
  const slot = CAP_LIVE[protocol];
  if (pool) return new PoolCounter(pool.counts, pool.base + slot, pool.totals + slot);
  unpooled ??= new Int32Array(2 * CAP_REGION);
  return new PoolCounter(unpooled, slot, CAP_REGION + slot);
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
