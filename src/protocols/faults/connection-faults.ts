// Faults on live connections (README "Faults and chaos"), one instance per protocol inside a worker, owned by that
// protocol's ConnectionRegistry. Each manager hands in a FaultTarget when it opens a connection (its socket, its goodbye
// with a chosen code); the protocol's send path asks `outbound(id)` before each message. Kinds that happen once (reset,
// drop, close, goaway) act at once; lasting ones (stall, delay, drop-messages, drop-puback) hold until lifted or until
// `durationMs` passes. The mock's `faults` block and chaos rules add latency and message loss per message.

import type { Socket } from 'node:net';
import type { ConnectionFault, FaultBlock, FaultEvent } from '../../contract/faults.ts';
import type { CloseReason, Protocol } from '../../contract/protocols.ts';
import { chaosBlocks, chaosCounts, chaosVersion, isChaosEnabled, onChaosChange } from './chaos-state.ts';
import { emitFaultEvent, mockFaultsOf, onMockFaultsChange } from './fault-sources.ts';
import { drawLatency } from './latency.ts';

/** What a fault needs from one connection; the manager that opens the connection supplies it. */
export interface FaultTarget {
  /** The TCP socket under the connection (for gRPC, under its HTTP/2 session). */
  socket(): Socket | undefined;
  /** The protocol's goodbye with the fault's code and reason (WS close code, gRPC status, SSE `retry:`). */
  closeWith(fault: ConnectionFault): Promise<void> | void;
  /** gRPC: GOAWAY on the connection's HTTP/2 session. */
  goaway?(): void;
  /**
   * Stops (or resumes) reading, where the socket cannot do it: an HTTP/2 session reads its socket natively, so a gRPC
   * stall pauses the call instead and holds its replies through `stalledUntil`.
   */
  stall?(on: boolean): void;
}

type Source = FaultEvent['source'];

interface LiveState {
  mockId: string;
  path: string | undefined;
  target: FaultTarget | undefined;
  stalled: boolean;
  /** Resolves when the stall is lifted (for senders that wait it out instead of a corked socket). */
  unstalled?: { promise: Promise<void>; resolve: () => void };
  delayMs: number;
  dropNext: number;
  dropPuback: number;
  /** When the last delayed message is due, so delayed messages keep their order. */
  lastDue: number;
  /** Made on first use: most connections never carry a timed fault. */
  timers?: Map<string, NodeJS.Timeout>;
  layers: readonly FaultBlock[];
  layersVersion: number;
}

const NO_LAYERS: readonly FaultBlock[] = Object.freeze([]);

export class ConnectionFaults {
  readonly #states = new Map<string, LiveState>();
  /** Connections that carry an admin fault or a layer (mock block, chaos): the only ones `outbound` looks at. */
  #active = 0;

  constructor(
    readonly protocol: Protocol,
    /** Tells the registry why the connection is about to go, so its closed event says so. */
    private readonly markClosing: (id: string, reason: CloseReason) => void,
  ) {
    onChaosChange(() => this.#onChaosChange());
    onMockFaultsChange((mockId) => this.#onMockFaultsChange(mockId));
  }

  /** A connection opened: the mock's `faults` block and matching chaos rules apply to it from now on. */
  attach(id: string, mockId: string, path: string | undefined, target: FaultTarget | undefined): void {
    const state: LiveState = {
      mockId, path, target, stalled: false, delayMs: 0, dropNext: 0, dropPuback: 0, lastDue: 0,
      layers: NO_LAYERS, layersVersion: -1,
    };
    this.#states.set(id, state);
    this.#refreshLayers(state);
    if (state.layers.length > 0) this.#recount();
    const block = mockFaultsOf(mockId);
    if (block?.fault) this.#applyBlock(id, state, block, 'mock');
    if (isChaosEnabled()) for (const b of state.layers) if (b !== block && b.fault) this.#applyBlock(id, state, b, 'chaos');
  }

  detach(id: string): void {
    const state = this.#states.get(id);
    if (!state) return;
    if (state.timers) for (const t of state.timers.values()) clearTimeout(t);
    this.#states.delete(id);
    if (this.#active > 0) this.#recount();
  }

  /** Applies one fault; false when the connection is unknown here. */
  apply(id: string, fault: ConnectionFault, source: Source = 'admin'): boolean {
    const state = this.#states.get(id);
    if (!state) return false;
    this.#emit('fault.applied', id, state, fault.kind, source);
    const reason: CloseReason = source === 'admin' ? 'admin' : 'server';
    const socket = state.target?.socket();
    switch (fault.kind) {
      case 'reset':
        this.markClosing(id, reason);
        // RST instead of FIN: the peer reads ECONNRESET, with no protocol goodbye before it.
        if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket?.destroy();
        break;
      case 'drop':
        this.markClosing(id, reason);
        socket?.destroy();
        break;
      case 'close':
        this.markClosing(id, reason);
        void Promise.resolve(state.target?.closeWith(fault)).catch(() => undefined);
        break;
      case 'goaway':
        state.target?.goaway?.();
        break;
      case 'stall':
        this.#stall(state, true);
        this.#lastFor(id, state, 'stall', fault.durationMs, () => this.#stall(state, false));
        break;
      case 'delay':
        state.delayMs = fault.delayMs ?? 0;
        this.#lastFor(id, state, 'delay', fault.durationMs, () => (state.delayMs = 0));
        break;
      case 'drop-messages':
        state.dropNext += fault.count ?? 1;
        break;
      case 'drop-puback':
        state.dropPuback = fault.count ?? Number.POSITIVE_INFINITY;
        this.#lastFor(id, state, 'drop-puback', fault.durationMs, () => (state.dropPuback = 0));
        break;
    }
    this.#recount();
    return true;
  }

  /** Lifts every lasting fault the admin put on a connection; false when it is unknown here. */
  lift(id: string): boolean {
    const state = this.#states.get(id);
    if (!state) return false;
    if (state.timers) for (const t of state.timers.values()) clearTimeout(t);
    state.timers?.clear();
    this.#stall(state, false);
    state.delayMs = 0;
    state.dropNext = 0;
    state.dropPuback = 0;
    this.#recount();
    this.#emit('fault.lifted', id, state, 'all', 'admin');
    return true;
  }

  /** Faults applied to every connection of a mock; how many connections took it. */
  applyToMock(mockId: string, fault: ConnectionFault): number {
    let n = 0;
    for (const [id, s] of [...this.#states]) if (s.mockId === mockId && this.apply(id, fault)) n++;
    return n;
  }

  liftMock(mockId: string): number {
    let n = 0;
    for (const [id, s] of [...this.#states]) if (s.mockId === mockId && this.lift(id)) n++;
    return n;
  }

  /**
   * Before one outbound message: false to drop it, else how many ms to hold it (0: now). Delayed messages keep their
   * order. Connections with no fault and no layer cost one counter check.
   */
  outbound(id: string): number | false {
    if (this.#active === 0) return 0;
    const state = this.#states.get(id);
    if (!state) return 0;
    if (state.dropNext > 0) {
      state.dropNext--;
      chaosCounts.messagesDropped++;
      return false;
    }
    if (state.layersVersion !== chaosVersion()) this.#refreshLayers(state);
    let delay = state.delayMs;
    for (const layer of state.layers) {
      if (layer.errorRate !== undefined && Math.random() < layer.errorRate) {
        chaosCounts.messagesDropped++;
        return false;
      }
      delay += drawLatency(layer.latency);
    }
    const now = Date.now();
    if (delay <= 0 && state.lastDue <= now) return 0;
    chaosCounts.messagesDelayed++;
    const due = Math.max(now + delay, state.lastDue);
    state.lastDue = due;
    return due - now;
  }

  /** True when something acts on this connection's outbound messages now. */
  isActive(id: string): boolean {
    if (this.#active === 0) return false;
    const s = this.#states.get(id);
    return s !== undefined && (s.stalled || s.delayMs > 0 || s.dropNext > 0 || s.layers.length > 0);
  }

  /** While the connection is stalled: resolves when the stall is lifted. */
  stalledUntil(id: string): Promise<void> | undefined {
    return this.#states.get(id)?.unstalled?.promise;
  }

  /** MQTT: true when this PUBACK is to be dropped. */
  takePuback(id: string): boolean {
    const state = this.#states.get(id);
    if (!state || state.dropPuback <= 0) return false;
    state.dropPuback--;
    chaosCounts.messagesDropped++;
    return true;
  }

  #applyBlock(id: string, state: LiveState, block: FaultBlock, source: Source): void {
    const kind = block.fault as ConnectionFault['kind'];
    if (kind === undefined || (kind as string) === 'empty' || (kind as string) === 'malformed-chunk' || (kind as string) === 'random-data-then-close') return;
    if (source === 'chaos') chaosCounts.connectionFaults++;
    // After the opening is done: a reset or close inside `open` would race the manager's own bookkeeping.
    setImmediate(() => {
      if (this.#states.get(id) === state) this.apply(id, { ...block, kind } as ConnectionFault, source);
    });
  }

  #stall(state: LiveState, on: boolean): void {
    if (state.stalled === on) return;
    state.stalled = on;
    if (on) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      state.unstalled = { promise, resolve };
    } else {
      state.unstalled?.resolve();
      state.unstalled = undefined;
    }
    if (state.target?.stall) return state.target.stall(on);
    const socket = state.target?.socket();
    if (!socket || socket.destroyed) return;
    // Half-open: nothing is read (TCP flow control pushes back on the peer) and writes wait in the corked buffer.
    if (on) {
      socket.pause();
      socket.cork();
    } else {
      socket.uncork();
      socket.resume();
    }
  }

  #lastFor(id: string, state: LiveState, key: string, durationMs: number | undefined, end: () => void): void {
    clearTimeout(state.timers?.get(key));
    state.timers?.delete(key);
    if (durationMs === undefined) return;
    const timer = setTimeout(() => {
      state.timers?.delete(key);
      end();
      this.#recount();
      this.#emit('fault.lifted', id, state, key, 'admin');
    }, durationMs);
    timer.unref();
    (state.timers ??= new Map()).set(key, timer);
  }

  #refreshLayers(state: LiveState): void {
    state.layersVersion = chaosVersion();
    const block = mockFaultsOf(state.mockId);
    const chaos = chaosBlocks(this.protocol, state.mockId, state.path);
    const layers = [...(block ? [block] : []), ...chaos].filter((b) => b.latency !== undefined || b.errorRate !== undefined);
    state.layers = layers.length > 0 ? layers : NO_LAYERS;
  }

  /** Live connections take a new chaos configuration: its latency at once, its one-off faults now. */
  #onChaosChange(): void {
    for (const [id, state] of [...this.#states]) {
      this.#refreshLayers(state);
      for (const b of chaosBlocks(this.protocol, state.mockId, state.path)) if (b.fault) this.#applyBlock(id, state, b, 'chaos');
    }
    this.#recount();
  }

  #onMockFaultsChange(mockId: string): void {
    let changed = false;
    for (const state of this.#states.values()) {
      if (state.mockId !== mockId) continue;
      this.#refreshLayers(state);
      changed = true;
    }
    if (changed) this.#recount();
  }

  #recount(): void {
    let n = 0;
    for (const s of this.#states.values()) {
      if (s.stalled || s.delayMs > 0 || s.dropNext > 0 || s.dropPuback > 0 || s.layers.length > 0 || s.lastDue > 0) n++;
    }
    this.#active = n;
  }

  #emit(type: FaultEvent['type'], id: string, state: LiveState, kind: string, source: Source): void {
    emitFaultEvent({ type, protocol: this.protocol, id, mockId: state.mockId, kind, source });
  }
}
