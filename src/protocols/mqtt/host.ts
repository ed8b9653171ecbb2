// The MQTT protocol host of the `mqtt` worker (contract §1, §6): one broker per MQTT mock, each on the mock's port.
// The coordinator merges mocks that share a port before they get here, so a port never carries two mocks.

import { MockdError } from '../../errors.ts';
import type { Mock } from '../../mocks/types.ts';
import type { CloseReason } from '../connections.ts';
import type { HostFactory, ListenerInfo, MockRuntime, ProtocolHost } from '../host.ts';
import { startBroker, type MqttBroker } from './broker.ts';
import { ConnectionSlots } from './connection-limit.ts';
import { bindServer } from './listen.ts';
import { MqttConnectionManager } from './manager.ts';

export const createMqttHost: HostFactory = async (options) => new MqttHost(options.host, new ConnectionSlots(options.maxConnections ?? 0));

class MqttHost implements ProtocolHost {
  readonly #brokers = new Map<string, MqttBroker>();
  /** The port each mock last ran on: a mock created with port 0 keeps its assigned port across updates (§1). */
  readonly #lastPort = new Map<string, number>();
  /** Changes to one mock run one after another, so an update never races the previous one. */
  readonly #queues = new Map<string, Promise<unknown>>();
  readonly manager = new MqttConnectionManager(() => this.#brokers.values());
  readonly managers = [this.manager];

  /** `slots`: `--max-connections`, shared by every broker of this worker. */
  constructor(
    private readonly host: string,
    private readonly slots: ConnectionSlots,
  ) {}

  accepts(mock: Mock): boolean {
    return mock.type === 'mqtt';
  }

  apply(mock: Mock): Promise<MockRuntime> {
    return this.#serialize(mock.id, () => this.#apply(mock));
  }

  remove(mockId: string): Promise<void> {
    return this.#serialize(mockId, () => this.#stop(mockId, 'mock_changed'));
  }

  runtimes(): MockRuntime[] {
    return [...this.#brokers.values()].map((b) => ({ mockId: b.mockId, kind: 'mqtt', port: b.port, path: '', status: 'running' }));
  }

  listeners(): ListenerInfo[] {
    return [...this.#brokers.values()].map((b) => ({
      port: b.port,
      protocol: 'mqtt',
      component: 'mqtt-broker',
      mockId: b.mockId,
      status: 'listening',
    }));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#brokers.keys()].map((id) => this.#serialize(id, () => this.#stop(id, 'shutdown'))));
  }

  async #apply(mock: Mock): Promise<MockRuntime> {
    if (!mock.mqtt) throw new MockdError('internal_error', `mock ${mock.id} has no mqtt spec`);
    if (!mock.enabled) {
      await this.#stop(mock.id, 'mock_changed');
      return { mockId: mock.id, kind: 'mqtt', port: this.#lastPort.get(mock.id), path: '', status: 'error', error: 'mock is disabled' };
    }
    const previous = this.#brokers.get(mock.id);
    const remembered = this.#lastPort.get(mock.id);
    const port = mock.mqtt.port !== 0 ? mock.mqtt.port : (remembered ?? 0);

    let server;
    if (previous && previous.port === port) {
      // The same port: the old broker must let go of it first (§6: the broker restarts on the same port).
      await this.#stop(mock.id, 'mock_changed');
      server = await bindServer(this.host, port);
    } else {
      // A new port is bound before the old broker stops, so a busy port changes nothing.
      server = await bindServer(this.host, port).catch((err: unknown) => {
        // A remembered port-0 assignment someone else took meanwhile: pick a fresh one, as port 0 asks.
        if (mock.mqtt!.port === 0 && !previous && remembered !== undefined) return bindServer(this.host, 0);
        throw err;
      });
      await this.#stop(mock.id, 'mock_changed');
    }
    let broker: MqttBroker;
    try {
      broker = await startBroker(mock, server, this.manager, this.slots);
    } catch (err) {
      server.close();
      throw err;
    }
    this.#brokers.set(mock.id, broker);
    this.#lastPort.set(mock.id, broker.port);
    return { mockId: mock.id, kind: 'mqtt', port: broker.port, path: '', status: 'running' };
  }

  async #stop(mockId: string, reason: CloseReason): Promise<void> {
    const broker = this.#brokers.get(mockId);
    if (!broker) return;
    this.#brokers.delete(mockId);
    await broker.stop(reason);
  }

  #serialize<T>(mockId: string, task: () => Promise<T>): Promise<T> {
    const run = (this.#queues.get(mockId) ?? Promise.resolve()).then(task, task);
    const settled = run.catch(() => undefined);
    this.#queues.set(mockId, settled);
    void settled.then(() => {
      if (this.#queues.get(mockId) === settled) this.#queues.delete(mockId);
    });
    return run;
  }
}
