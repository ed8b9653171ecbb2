// Mocks that listen on a port of their own (MQTT brokers, gRPC servers; contract §1, §6, §7), kept one way for every
// such protocol: one listener per mock; changes run one at a time; a new port is bound before the old listener is
// released, so a busy port changes nothing; the same port is released first (it cannot be bound twice); and a mock
// created with port 0 keeps the port it was given across its updates and disables (§1 "Addresses").

import { MockdError } from '../errors.ts';
import type { CloseReason } from '../contract/protocols.ts';
import type { ListenerInfo, MockRuntime } from '../contract/worker-api.ts';
import { MOCK_TYPE_PROFILES, PROTOCOL_PROFILES } from '../contract/profiles.ts';

/** The mock types whose mocks listen on a port of their own. */
export type OwnPortType = 'mqtt' | 'grpc';
import { SerialQueue } from '../util/serial-queue.ts';

/** A running listener of one mock. */
export interface OwnPortListener {
  readonly mockId: string;
  readonly port: number;
  /** Says goodbye to its clients for `reason`, then stops listening. */
  close(reason: CloseReason): Promise<void>;
}

export class OwnPortListeners<L extends OwnPortListener> {
  readonly #listeners = new Map<string, L>();
  /** The port each mock last listened on. */
  readonly #lastPort = new Map<string, number>();
  readonly #queue = new SerialQueue();

  readonly #kind: { label: string; protocol: OwnPortType; component: ListenerInfo['component'] };

  /** The words and the listener component come from the type's profile (src/contract/profiles.ts). */
  constructor(type: OwnPortType) {
    this.#kind = { label: PROTOCOL_PROFILES[type].label, protocol: type, component: MOCK_TYPE_PROFILES[type].ownPort!.component };
  }

  values(): IterableIterator<L> {
    return this.#listeners.values();
  }

  /** The running mocks, for `/handlers`. */
  runtimes(): MockRuntime[] {
    return [...this.#listeners.values()].map((l) => ({ mockId: l.mockId, kind: this.#kind.protocol, port: l.port, path: '', status: 'running' }));
  }

  /** The listening ports, for `/ports`. */
  listeners(): ListenerInfo[] {
    const { protocol, component } = this.#kind;
    return [...this.#listeners.values()].map((l) => ({ port: l.port, protocol, component, mockId: l.mockId, status: 'listening' }));
  }

  /** The port a mock last listened on, whether or not it listens now. */
  lastPortOf(mockId: string): number | undefined {
    return this.#lastPort.get(mockId);
  }

  /**
   * Starts a mock's listener on `specPort` (0 = keep the port it was given, else pick one), replacing its running
   * listener, whose clients get `mock_changed`. `start` binds and starts a listener on a port; a failure leaves the
   * previous listener serving unless it had to release the same port first.
   */
  apply(mockId: string, specPort: number, start: (port: number) => Promise<L>): Promise<L> {
    return this.#queue.run(async () => {
      const previous = this.#listeners.get(mockId);
      const holderOf = (p: number) => [...this.#listeners.values()].find((l) => l.mockId !== mockId && l.port === p);
      let remembered = specPort === 0 ? (previous?.port ?? this.#lastPort.get(mockId)) : undefined;
      if (remembered !== undefined && !previous && holderOf(remembered)) remembered = undefined;
      const port = specPort === 0 ? (remembered ?? 0) : specPort;
      const holder = port === 0 ? undefined : holderOf(port);
      if (holder) throw new MockdError('port_conflict', `port ${port} is already used by ${this.#kind.label} mock ${holder.mockId}`);

      if (previous && previous.port === port) await this.#stop(mockId, 'mock_changed');
      let listener: L;
      try {
        listener = await start(port);
      } catch (err) {
        // A port remembered from before a disable may have been taken meanwhile; the spec asked for any port.
        if (!(remembered !== undefined && !previous)) throw err;
        listener = await start(0);
      }
      if (previous && previous.port !== port) await this.#stop(mockId, 'mock_changed');
      this.#listeners.set(mockId, listener);
      this.#lastPort.set(mockId, listener.port);
      return listener;
    });
  }

  /** Stops a mock's listener (deleted or disabled); its clients get `reason`. */
  remove(mockId: string, reason: CloseReason = 'mock_changed'): Promise<void> {
    return this.#queue.run(() => this.#stop(mockId, reason));
  }

  /** Shutdown: every listener says goodbye with `shutdown` and stops. */
  closeAll(): Promise<void> {
    return this.#queue.run(async () => {
      await Promise.all([...this.#listeners.keys()].map((id) => this.#stop(id, 'shutdown')));
    });
  }

  async #stop(mockId: string, reason: CloseReason): Promise<void> {
    const listener = this.#listeners.get(mockId);
    if (!listener) return;
    this.#listeners.delete(mockId);
    await listener.close(reason);
  }
}
