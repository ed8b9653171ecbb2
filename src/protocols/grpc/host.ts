// The gRPC ProtocolHost inside the grpc worker (contract §1, §7): one grpc-js server per gRPC mock, on the mock's
// port. The coordinator merges mocks that share a port (src/mocks/merge/grpc.ts), so each port has one mock here.

import { MockdError, validationError } from '../../errors.ts';
import type { Mock } from '../../mocks/types.ts';
import type { HostFactory, HostOptions, ListenerInfo, MockRuntime, ProtocolHost } from '../host.ts';
import { GrpcConnectionManager } from './manager.ts';
import { loadProtos } from './proto.ts';
import { GrpcMockServer, startGrpcServer } from './server.ts';
import { validateGrpcSpec } from './validate.ts';

export const createGrpcHost: HostFactory = async (options) => new GrpcHost(options);

class GrpcHost implements ProtocolHost {
  readonly #options: HostOptions;
  readonly #manager = new GrpcConnectionManager();
  readonly #servers = new Map<string, GrpcMockServer>();
  /** The port each mock last listened on: a mock created with port 0 keeps it across its updates (§1 "Addresses"). */
  readonly #lastPort = new Map<string, number>();
  /** Changes run one at a time, so a restart never races another change of the same port. */
  #queue: Promise<unknown> = Promise.resolve();

  readonly managers: readonly GrpcConnectionManager[] = [this.#manager];

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
  }

  apply(mock: Mock): Promise<MockRuntime> {
    return this.#serialize(() => this.#apply(mock));
  }

  remove(mockId: string): Promise<void> {
    return this.#serialize(async () => {
      const server = this.#servers.get(mockId);
      if (!server) return;
      this.#servers.delete(mockId);
      await server.close('mock_changed');
    });
  }

  runtimes(): MockRuntime[] {
    return [...this.#servers.values()].map((s) => ({ mockId: s.mockId, kind: 'grpc', port: s.port, path: '', status: 'running' }));
  }

  listeners(): ListenerInfo[] {
    return [...this.#servers.values()].map((s) => ({
      port: s.port,
      protocol: 'grpc',
      component: 'grpc-server',
      mockId: s.mockId,
      status: 'listening',
    }));
  }

  close(): Promise<void> {
    return this.#serialize(async () => {
      const servers = [...this.#servers.values()];
      this.#servers.clear();
      await Promise.all(servers.map((s) => s.close('shutdown')));
    });
  }

  async #apply(mock: Mock): Promise<MockRuntime> {
    const spec = mock.grpc;
    if (!spec) throw validationError('grpc', 'required');
    // Protos first: a spec that cannot load leaves the running server untouched.
    const protos = await loadProtos(spec, this.#options.baseDir);
    const previous = this.#servers.get(mock.id);
    const holderOf = (p: number) => [...this.#servers.values()].find((s) => s.mockId !== mock.id && s.port === p);
    let remembered = spec.port === 0 ? (previous?.port ?? this.#lastPort.get(mock.id)) : undefined;
    if (remembered !== undefined && !previous && holderOf(remembered)) remembered = undefined;
    const port = spec.port === 0 ? (remembered ?? 0) : spec.port;
    const holder = port === 0 ? undefined : holderOf(port);
    if (holder) throw new MockdError('port_conflict', `port ${port} is already used by gRPC mock ${holder.mockId}`);

    // The same port must be free before the new server binds it; a new port is bound before the old one stops, so
    // a failed bind leaves the old definition serving.
    if (previous && previous.port === port) {
      this.#servers.delete(mock.id);
      await previous.close('mock_changed');
    }
    const start = (p: number) =>
      startGrpcServer({
        mockId: mock.id,
        spec,
        protos,
        host: this.#options.host,
        port: p,
        manager: this.#manager,
        maxStreams: this.#options.maxConnections,
      });
    let server: GrpcMockServer;
    try {
      server = await start(port);
    } catch (err) {
      // A port remembered from before a disable may have been taken meanwhile; the spec asked for any port.
      if (!(remembered !== undefined && !previous)) throw err;
      server = await start(0);
    }
    if (previous && previous.port !== port) {
      this.#servers.delete(mock.id);
      await previous.close('mock_changed');
    }
    this.#servers.set(mock.id, server);
    this.#lastPort.set(mock.id, server.port);
    return { mockId: mock.id, kind: 'grpc', port: server.port, path: '', status: 'running' };
  }

  #serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
