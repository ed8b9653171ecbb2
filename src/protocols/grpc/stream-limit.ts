// Caps on live streaming RPCs, which contract §7 leaves open (README "Limits"): `--max-connections` across every gRPC
// server of the worker pool, and a mock's `maxConnections` for its own server. Unary calls are never limited. A stream
// takes its slots as it starts, each as one atomic step across the pool's members, and gives them back when it is gone.

import type { PoolCounter } from '../pool-counts.ts';

export const STREAMS_EXHAUSTED_DETAILS = 'grpc: maximum streams reached';

export class StreamLimit {
  /** Live streams of this server (one mock), for its cap outside a pool. */
  #active = 0;

  /**
   * Both maxima: 0 = unlimited. `pooled`: this mock version's streams across the worker pool; `live`: the streams of
   * every gRPC server of the pool (README "Workers").
   */
  constructor(
    readonly perMock: number,
    readonly perWorker: number,
    private readonly pooled: PoolCounter | undefined,
    private readonly live: PoolCounter,
  ) {}

  /** Takes a slot in each cap for a stream about to start; false (nothing taken) when a cap is full. */
  admit(): boolean {
    if (this.perMock > 0 && !(this.pooled ? this.pooled.tryTake(this.perMock) : this.#active < this.perMock)) return false;
    if (this.perWorker > 0 && !this.live.tryTake(this.perWorker)) {
      if (this.perMock > 0) this.pooled?.add(-1);
      return false;
    }
    return true;
  }

  /** Counts an admitted stream until `gone` settles, then gives its slots back. */
  track(gone: Promise<void>): void {
    this.#active++;
    void gone.then(() => {
      this.#active--;
      if (this.perMock > 0) this.pooled?.add(-1);
      if (this.perWorker > 0) this.live.add(-1);
    });
  }
}
