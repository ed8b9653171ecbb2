// Caps on live streaming RPCs, which contract §7 leaves open (README "Limits"): `--max-connections` across every gRPC
// server of the worker pool, and a mock's `maxConnections` for its own server. Unary calls are never limited. grpc-js
// calls a handler synchronously as the call starts, so checking and counting there cannot race another call.

import type { GrpcConnectionManager } from './manager.ts';
import type { PoolCounter } from '../pool-counts.ts';

export const STREAMS_EXHAUSTED_DETAILS = 'grpc: maximum streams reached';

export class StreamLimit {
  /** Live streams of this server (one mock). */
  #active = 0;

  /** Both maxima: 0 = unlimited. `pooled`: this mock version's streams across the worker pool (README "Workers"). */
  constructor(
    readonly perMock: number,
    readonly perWorker: number,
    private readonly pooled?: PoolCounter,
  ) {}

  /** True when one more stream would exceed either cap; `manager` counts the streams of every server of the pool. */
  isFull(manager: GrpcConnectionManager): boolean {
    return (this.perMock > 0 && (this.pooled?.value ?? this.#active) >= this.perMock) || (this.perWorker > 0 && manager.poolSize >= this.perWorker);
  }

  /** Counts a stream of this server until `gone` settles. */
  track(gone: Promise<void>): void {
    this.#active++;
    this.pooled?.add(1);
    void gone.then(() => {
      this.#active--;
      this.pooled?.add(-1);
    });
  }
}
