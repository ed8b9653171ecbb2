// The MQTT protocol host of the `mqtt` worker (contract §1, §6): one broker per MQTT mock, each on the mock's port.
// The coordinator merges mocks that share a port before they get here, so a port never carries two mocks.

import { MockdError } from '../../errors.ts';
import type { Mock } from '../../mocks/types.ts';
import { planChange } from '../../mocks/change-policy.ts';
import type { HostOptions, ListenerInfo, MockRuntime } from '../../contract/worker-api.ts';
import type { HostFactory, ProtocolHost } from '../host.ts';
import { OwnPortListeners } from '../own-port.ts';
import { startBroker, type MqttBroker } from './broker.ts';
import { ConnectionSlots } from './connection-limit.ts';
import { bindServer } from './listen.ts';
import { MqttConnectionManager } from './manager.ts';
import { mqttSlotsCounter } from '../pool-counts.ts';

export const createMqttHost: HostFactory = async (options) =>
  new MqttHost(options.host, new ConnectionSlots(options.maxConnections ?? 0, mqttSlotsCounter()), options.sharedRedis);

class MqttHost implements ProtocolHost {
  readonly #brokers = new OwnPortListeners<MqttBroker>('mqtt');
  readonly manager = new MqttConnectionManager(() => this.#brokers.values());
  readonly managers = [this.manager];
  /** The version each running broker serves, for what its next change does (onChange). */
  readonly #served = new Map<string, Mock>();

  /** `slots`: `--max-connections`, shared by every broker of the worker pool. */
  constructor(
    private readonly host: string,
    private readonly slots: ConnectionSlots,
    private readonly shared?: HostOptions['sharedRedis'],
  ) {}

  accepts(mock: Mock): boolean {
    return mock.type === 'mqtt';
  }

  async apply(mock: Mock): Promise<MockRuntime> {
    if (!mock.mqtt) throw new MockdError('internal_error', `mock ${mock.id} has no mqtt spec`);
    if (!mock.enabled) {
      await this.remove(mock.id);
      return { mockId: mock.id, kind: 'mqtt', port: this.#brokers.lastPortOf(mock.id), path: '', status: 'error', error: 'mock is disabled' };
    }
    // A change on the same port with onChange keep or drain keeps the broker, its clients and their sessions.
    const previous = this.#served.get(mock.id);
    const running = previous && [...this.#brokers.values()].find((b) => b.mockId === mock.id);
    if (previous && running) {
      const plan = planChange(previous, mock, running.port);
      if (plan.action !== 'close') {
        running.change(mock, plan.action, plan.drainTimeoutMs);
        this.#served.set(mock.id, mock);
        return { mockId: mock.id, kind: 'mqtt', port: running.port, path: '', status: 'running' };
      }
    }
    const broker = await this.#brokers.apply(mock.id, mock.mqtt.port, async (port) => {
      const server = await bindServer(this.host, port);
      try {
        return await startBroker(mock, server, this.manager, this.slots, this.shared);
      } catch (err) {
        server.close();
        throw err;
      }
    });
    this.#served.set(mock.id, mock);
    return { mockId: mock.id, kind: 'mqtt', port: broker.port, path: '', status: 'running' };
  }

  remove(mockId: string): Promise<void> {
    this.#served.delete(mockId);
    return this.#brokers.remove(mockId);
  }

  runtimes(): MockRuntime[] {
    return this.#brokers.runtimes();
  }

  listeners(): ListenerInfo[] {
    return this.#brokers.listeners();
  }

  close(): Promise<void> {
    return this.#brokers.closeAll();
  }
}
