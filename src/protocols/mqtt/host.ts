// The MQTT protocol host of the `mqtt` worker (contract §1, §6): one broker per MQTT mock, each on the mock's port.
// The coordinator merges mocks that share a port before they get here, so a port never carries two mocks. With
// `mqtt.tls` a broker listens over TLS on its port, or on a `tlsPort` beside the plain one (README "TLS").

import { MockdError } from '../../errors.ts';
import type { Mock } from '../../mocks/types.ts';
import { planChange } from '../../mocks/change-policy.ts';
import type { HostOptions, ListenerInfo, MockRuntime } from '../../contract/worker-api.ts';
import type { HostFactory, ProtocolHost } from '../host.ts';
import { OwnPortListeners } from '../own-port.ts';
import { startBroker, type MqttBroker } from './broker.ts';
import { ConnectionSlots } from './connection-limit.ts';
import { bindServer, bindTlsServer, boundPort } from './listen.ts';
import type { Server as TlsServer } from 'node:tls';
import type { TlsMaterial } from '../../contract/tls.ts';
import { resolveMockTls } from '../tls/mock-tls.ts';
import { MqttConnectionManager } from './manager.ts';
import { mqttSlotsCounter } from '../pool-counts.ts';

export const createMqttHost: HostFactory = async (options) =>
  new MqttHost(options, new ConnectionSlots(options.maxConnections ?? 0, mqttSlotsCounter()), options.sharedRedis);

class MqttHost implements ProtocolHost {
  readonly #brokers = new OwnPortListeners<MqttBroker>('mqtt');
  readonly manager = new MqttConnectionManager(() => this.#brokers.values());
  readonly managers = [this.manager];
  /** The version each running broker serves, for what its next change does (onChange). */
  readonly #served = new Map<string, Mock>();
  /** Brokers serving TLS with mockd's own certificate (no files of their own), which a reload swaps. */
  readonly #usesOwnCert = new Set<string>();
  /** The TLS port each mock last listened on, so a `tlsPort: 0` keeps it across updates. */
  readonly #lastTlsPort = new Map<string, number>();

  /** `slots`: `--max-connections`, shared by every broker of the worker pool. */
  constructor(
    /** The worker's options: `tls` is mockd's own certificate, replaced on reload. */
    private readonly options: HostOptions,
    private readonly slots: ConnectionSlots,
    private readonly shared?: HostOptions['sharedRedis'],
  ) {}

  get host(): string {
    return this.options.host;
  }

  /** The mock's TLS files must exist and hold PEM, on create too (README "TLS"). */
  async validate(mock: Mock): Promise<void> {
    if (mock.mqtt?.tls?.enabled) resolveMockTls(mock.mqtt.tls, 'mqtt.tls', this.options.baseDir, this.options.tls);
  }

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
    const spec = mock.mqtt;
    const tls = spec.tls?.enabled ? resolveMockTls(spec.tls, 'mqtt.tls', this.options.baseDir, this.options.tls) : undefined;
    const broker = await this.#brokers.apply(mock.id, spec.port, async (port) => {
      // TLS alone on `port`, or a plain `port` with a TLS `tlsPort` beside it (README "TLS").
      const server = tls && spec.tlsPort === undefined ? await bindTlsServer(this.host, port, tls) : await bindServer(this.host, port);
      let tlsServer: TlsServer | undefined;
      try {
        if (tls && spec.tlsPort !== undefined) {
          // A tlsPort of 0 keeps the port it was given across the mock's updates, as `port` does (contract §1).
          const remembered = spec.tlsPort === 0 ? this.#lastTlsPort.get(mock.id) : undefined;
          tlsServer = await bindTlsServer(this.host, remembered ?? spec.tlsPort, tls).catch((err) => {
            if (remembered === undefined) throw err;
            return bindTlsServer(this.host, 0, tls);
          });
          this.#lastTlsPort.set(mock.id, boundPort(tlsServer));
        }
        const broker = await startBroker(mock, server, this.manager, this.slots, this.shared, tlsServer);
        if (tls?.usesServerCertificate) this.#usesOwnCert.add(mock.id);
        else this.#usesOwnCert.delete(mock.id);
        return broker;
      } catch (err) {
        server.close();
        tlsServer?.close();
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
    const out: ListenerInfo[] = [];
    const brokers = new Map([...this.#brokers.values()].map((b) => [b.mockId, b]));
    for (const l of this.#brokers.listeners()) {
      const b = brokers.get(l.mockId!);
      out.push(b?.portIsTls ? { ...l, tls: true } : l);
      if (b?.tlsPort !== undefined) out.push({ ...l, port: b.tlsPort, tls: true });
    }
    return out;
  }

  /** Brokers on mockd's own certificate take the new one for new handshakes; live clients stay. */
  reloadTls(material: TlsMaterial): void {
    for (const b of this.#brokers.values()) if (this.#usesOwnCert.has(b.mockId)) b.swapCertificate(material);
  }

  close(): Promise<void> {
    return this.#brokers.closeAll();
  }
}
