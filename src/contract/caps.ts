// The layout of the pool counters (a SharedArrayBuffer per worker pool), so that `--max-connections`,
// `--max-sse-streams` and a mock's `maxConnections` hold for a pool as a whole: a cap of 10 is 10 across all members.
// Each member counts in a region of its own (Int32 slots) and in the pool's totals, one more region after the members';
// a cap admits through the total (compare-and-swap), so it holds exactly. A member that dies has its region taken out
// of the totals and zeroed by the coordinator before it is restarted, so its lost connections never hold a slot.

import type { Protocol } from './protocols.ts';

/** Live connections per protocol (what `--max-connections` and `--max-sse-streams` cap). */
export const CAP_LIVE: Readonly<Record<Protocol, number>> = { websocket: 0, sse: 1, mqtt: 2, grpc: 3 };
/** MQTT slots taken from CONNECT (before aedes registers the client) until the socket closes. */
export const CAP_MQTT_SLOTS = 4;
/** Per-mock-version slots (a mock's `maxConnections`), handed out by the pool in a ring. */
export const CAP_MOCK_BASE = 8;
export const CAP_MOCK_SLOTS = 1024;
/** Int32 slots per member (and of the totals). */
export const CAP_REGION = CAP_MOCK_BASE + CAP_MOCK_SLOTS;

/** What a worker is handed to count in its pool. */
export interface PoolCountsInit {
  buffer: SharedArrayBuffer;
  /** This worker's region (0-based member index). */
  member: number;
  members: number;
}

export function poolCountsBytes(members: number): number {
  return Int32Array.BYTES_PER_ELEMENT * CAP_REGION * (members + 1);
}
