// Which mocks are registered with their workers, and how each runs: the runtime its pool last reported (the port a
// port-0 mock was given, an error) and how many times it was registered (`version` in `/handlers`).

import type { Mock } from '../mocks/types.ts';
import type { MockType } from '../mocks/types.ts';
import { MOCK_TYPE_PROFILES, type MockTypeProfile } from '../contract/profiles.ts';
import type { MockRuntime } from '../contract/worker-api.ts';
import type { WorkerHandle } from './worker-handle.ts';
import type { WorkerPool } from './worker-pool.ts';

export type Logger = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export class MockRegistrations {
  readonly #runtimes = new Map<string, MockRuntime>();
  readonly #versions = new Map<string, number>();

  constructor(
    private readonly poolOf: (type: MockType) => WorkerPool,
    private readonly log: Logger,
  ) {}

  /** Registers a mock with its pool (or with one restarted member) and records its runtime and version. */
  async apply(mock: Mock, on?: WorkerHandle): Promise<MockRuntime> {
    const runtime = await this.poolOf(mock.type).apply(mock, on);
    this.#runtimes.set(mock.id, runtime);
    this.#versions.set(mock.id, (this.#versions.get(mock.id) ?? 0) + 1);
    return runtime;
  }

  /** A mock loaded at startup that cannot bind stays stored and shows `status: error` (contract §1). */
  async applyOrRecordError(mock: Mock, on?: WorkerHandle): Promise<void> {
    try {
      await this.apply(mock, on);
    } catch (err) {
      const e = err as Error;
      this.log('warn', `mock ${mock.id} could not start: ${e.message}`);
      this.#runtimes.set(mock.id, { mockId: mock.id, kind: mock.type === 'http' ? 'sse' : (mock.type as 'mqtt'), status: 'error', error: e.message });
    }
  }

  async unregister(mock: Mock): Promise<void> {
    this.#runtimes.delete(mock.id);
    await this.poolOf(mock.type).remove(mock.id);
  }

  /** Forgets everything about a mock (deleted). */
  forget(mockId: string): void {
    this.#runtimes.delete(mockId);
    this.#versions.delete(mockId);
  }

  /** Forgets the runtimes of mocks whose worker died (they are registered again). */
  forgetRuntimes(mocks: readonly Mock[]): void {
    for (const mock of mocks) this.#runtimes.delete(mock.id);
  }

  runtimeOf(mockId: string): MockRuntime | undefined {
    return this.#runtimes.get(mockId);
  }

  versionOf(mockId: string): number {
    return this.#versions.get(mockId) ?? 0;
  }

  /** The port each running own-port mock (MQTT, gRPC) is bound to, by mock id. */
  assignedPorts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [id, rt] of this.#runtimes) {
      if (rt.port !== undefined && hasOwnPort(rt.kind)) out.set(id, rt.port);
    }
    return out;
  }

  /** The mock as the API shows it: a port-0 own-port mock reports the port it was given. */
  view(mock: Mock): Mock {
    const port = this.#runtimes.get(mock.id)?.port;
    const ownPort = MOCK_TYPE_PROFILES[mock.type].ownPort;
    if (port === undefined || !ownPort || ownPort.read(mock) !== 0) return mock;
    return ownPort.withPort(mock, port);
  }
}

function hasOwnPort(kind: string): boolean {
  return (MOCK_TYPE_PROFILES as Record<string, MockTypeProfile>)[kind]?.ownPort !== undefined;
}
