// The gRPC ProtocolHost inside the grpc worker (contract §1, §7): one grpc-js server per gRPC mock, on the mock's
// port. The coordinator merges mocks that share a port (src/mocks/merge/grpc.ts), so each port has one mock here.

import type { TlsMaterial } from '../../contract/tls.ts';
import { resolveMockTls } from '../tls/mock-tls.ts';
import { validationError } from '../../errors.ts';
import type { Mock } from '../../mocks/types.ts';
import { planChange } from '../../mocks/change-policy.ts';
import type { HostOptions, ListenerInfo, MockPlacement, MockRuntime } from '../../contract/worker-api.ts';
import type { HostFactory, ProtocolHost } from '../host.ts';
import { OwnPortListeners } from '../own-port.ts';
import { GrpcConnectionManager } from './manager.ts';
import { loadProtos } from './proto.ts';
import { GrpcMockServer, startGrpcServer } from './server.ts';
import { validateGrpcSpec } from './validate.ts';

export const createGrpcHost: HostFactory = async (options) => new GrpcHost(options);

class GrpcHost implements ProtocolHost {
  readonly #options: HostOptions;
  readonly #manager = new GrpcConnectionManager();
  readonly #servers = new OwnPortListeners<GrpcMockServer>('grpc');
  /** Servers serving TLS with mockd's own certificate (no files of their own), which a reload swaps. */
  readonly #usesOwnCert = new Set<string>();

  readonly managers: readonly GrpcConnectionManager[] = [this.#manager];
  /** The version each running server serves, for what its next change does (onChange). */
  readonly #served = new Map<string, Mock>();

  constructor(options: HostOptions) {
    this.#options = options;
  }

  accepts(mock: Mock): boolean {
    return mock.type === 'grpc';
  }

  /** The protos must parse and name every listed service and method (contract §7). */
  async validate(mock: Mock): Promise<void> {
    if (!mock.grpc) throw validationError('grpc', 'required');
    await validateGrpcSpec(mock.grpc, this.#options.baseDir);
    if (mock.grpc.tls?.enabled) resolveMockTls(mock.grpc.tls, 'grpc.tls', this.#options.baseDir, this.#options.tls);
  }

  /** Servers on mockd's own certificate take the new one for new handshakes (README "TLS"). */
  reloadTls(material: TlsMaterial): void {
    for (const s of this.#servers.values()) if (this.#usesOwnCert.has(s.mockId)) s.swapCertificate(material);
  }

  async apply(mock: Mock, placement?: MockPlacement): Promise<MockRuntime> {
    const spec = mock.grpc;
    if (!spec) throw validationError('grpc', 'required');
    // A change on the same port and protos with onChange keep or drain keeps the server and its connections.
    const previous = this.#served.get(mock.id);
    const running = previous && [...this.#servers.values()].find((s) => s.mockId === mock.id);
    if (previous && running && mock.enabled) {
      const plan = planChange(previous, mock, running.port);
      if (plan.action !== 'close' && running.methods) {
        running.methods.change(spec, plan.action, plan.drainTimeoutMs);
        this.#served.set(mock.id, mock);
        return { mockId: mock.id, kind: 'grpc', port: running.port, path: '', status: 'running' };
      }
    }
    // Protos first: a spec that cannot load leaves the running server untouched.
    const protos = await loadProtos(spec, this.#options.baseDir);
    const tls = spec.tls?.enabled ? resolveMockTls(spec.tls, 'grpc.tls', this.#options.baseDir, this.#options.tls) : undefined;
    const server = await this.#servers.apply(mock.id, spec.port, (port) =>
      startGrpcServer({
        mockId: mock.id,
        spec,
        protos,
        host: this.#options.host,
        port,
        manager: this.#manager,
        maxStreams: this.#options.maxConnections,
        capSlot: placement?.capSlot,
        portShare: placement?.portShare,
        ...(tls ? { tls } : {}),
      }),
    );
    this.#served.set(mock.id, mock);
    if (tls?.usesServerCertificate) this.#usesOwnCert.add(mock.id);
    else this.#usesOwnCert.delete(mock.id);
    return { mockId: mock.id, kind: 'grpc', port: server.port, path: '', status: 'running' };
  }

  remove(mockId: string): Promise<void> {
    this.#served.delete(mockId);
    return this.#servers.remove(mockId);
  }

  runtimes(): MockRuntime[] {
    return this.#servers.runtimes();
  }

  listeners(): ListenerInfo[] {
    const tlsIds = new Set([...this.#servers.values()].filter((s) => s.tls).map((s) => s.mockId));
    return this.#servers.listeners().map((l) => (tlsIds.has(l.mockId!) ? { ...l, tls: true } : l));
  }

  close(): Promise<void> {
    return this.#servers.closeAll();
  }
}
