// The API every protocol worker exposes to the coordinator over Comlink. It is generic: the coordinator never knows
// which hosts a worker runs, only which worker serves a mock type or a connection protocol.
// Comlink is for control traffic only (tens of µs a call); per-request work never crosses threads.

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { expose } from 'comlink';
import { nodeEndpoint } from '../util/node-endpoint.ts';
import type { Mock } from '../mocks/types.ts';
import { MockdError } from '../errors.ts';
import { installErrorTransfer } from '../util/comlink-errors.ts';
import { useSharedIdCounters, type CloseReason, type ConnectionEvent, type ConnectionManager, type ConnectionRecord, type ConnectionStats, type Protocol } from './connections.ts';
import type { HostFactory, HostOptions, ListenerInfo, MockRuntime, ProtocolHost } from './host.ts';
import { journal } from '../journal/recorder.ts';
import type { JournalEntry, JournalFilter } from '../journal/types.ts';

export interface WorkerApi {
  /** Registers a new or changed mock; resolves once it is live. */
  apply(mock: Mock): Promise<MockRuntime>;
  /** Checks a mock without registering it (e.g. gRPC protos must parse on create, even when disabled). */
  validate(mock: Mock): Promise<void>;
  remove(mockId: string): Promise<void>;
  runtimes(): MockRuntime[];
  listeners(): ListenerInfo[];
  protocols(): Protocol[];
  listConnections(protocol: Protocol, mockId?: string): ConnectionRecord[];
  getConnection(protocol: Protocol, id: string): ConnectionRecord | undefined;
  closeConnection(protocol: Protocol, id: string, reason: CloseReason): Promise<boolean>;
  closeConnectionsOfMock(protocol: Protocol, mockId: string, reason: CloseReason): Promise<number>;
  stats(protocol: Protocol): ConnectionStats;
  /** Journal entries of this worker that match (contract §12); the coordinator merges the workers' answers. */
  journalQuery(filter: JournalFilter): JournalEntry[];
  journalClear(): void;
  journalRemoveMock(mockId: string): number;
  /** While on, every new entry is also posted on the events port (for waiters and live subscribers). */
  journalStreaming(on: boolean): void;
  /** Protocol-specific verbs (WebSocket send), dispatched by name to the host that declares them. */
  invoke(verb: string, args: unknown[]): Promise<unknown>;
  shutdown(): Promise<void>;
}

/** Data the coordinator hands each worker at spawn. */
export interface WorkerInit {
  options: HostOptions;
  /** Connection events (and streamed journal entries) flow here in batches, never one Comlink call each. */
  events: MessagePort;
  /** The journal id counter shared by every worker, so `req-<n>` increases across threads. */
  journalCounter: SharedArrayBuffer;
  /** Connection id counters (`ws-<n>`, `sse-<n>`, `grpc-stream-<n>`) that outlive a worker restart. */
  idCounters: SharedArrayBuffer;
}

/** A host may offer extra verbs (e.g. the WebSocket `send`); the worker routes `invoke(verb)` to them. */
export interface HostWithVerbs extends ProtocolHost {
  verbs?: Record<string, (...args: never[]) => unknown>;
}

/** Batches connection events for one tick and posts them on the events port. */
function createEventForwarder(port: MessagePort): (event: ConnectionEvent) => void {
  let batch: ConnectionEvent[] = [];
  return (event) => {
    if (batch.length === 0) {
      setImmediate(() => {
        const out = batch;
        batch = [];
        port.postMessage(out);
      });
    }
    batch.push(event);
  };
}

/** Builds the worker's hosts and exposes the WorkerApi on parentPort. Called by each file in workers/. */
export async function serveWorker(factories: HostFactory[]): Promise<void> {
  installErrorTransfer();
  const init = workerData as WorkerInit;
  journal.configure({ size: init.options.journalSize ?? 10000, counter: init.journalCounter, port: init.events });
  useSharedIdCounters(init.idCounters);
  const hosts: HostWithVerbs[] = [];
  for (const factory of factories) hosts.push(await factory(init.options));

  const forward = createEventForwarder(init.events);
  const managers = new Map<Protocol, ConnectionManager>();
  for (const host of hosts) {
    for (const m of host.managers) {
      managers.set(m.protocol, m);
      m.onEvent(forward);
    }
  }

  const hostOf = (mock: Mock): ProtocolHost => {
    const host = hosts.find((h) => h.accepts(mock));
    if (!host) throw new MockdError('internal_error', `no host in this worker serves ${mock.type} mocks`);
    return host;
  };
  const managerOf = (protocol: Protocol): ConnectionManager => {
    const m = managers.get(protocol);
    if (!m) throw new MockdError('internal_error', `this worker has no ${protocol} connections`);
    return m;
  };

  const api: WorkerApi = {
    async apply(mock) {
      // A mock can move between hosts only by changing type, which the coordinator handles as remove + apply.
      return hostOf(mock).apply(mock);
    },
    async validate(mock) {
      await hostOf(mock).validate?.(mock);
    },
    async remove(mockId) {
      await Promise.all(hosts.map((h) => h.remove(mockId)));
    },
    runtimes: () => hosts.flatMap((h) => h.runtimes()),
    listeners: () => hosts.flatMap((h) => h.listeners()),
    protocols: () => [...managers.keys()],
    listConnections: (protocol, mockId) => managerOf(protocol).list(mockId),
    getConnection: (protocol, id) => managerOf(protocol).get(id),
    closeConnection: (protocol, id, reason) => managerOf(protocol).close(id, reason),
    closeConnectionsOfMock: (protocol, mockId, reason) => managerOf(protocol).closeByMock(mockId, reason),
    stats: (protocol) => managerOf(protocol).stats(),
    journalQuery: (filter) => journal.query(filter),
    journalClear: () => journal.clear(),
    journalRemoveMock: (mockId) => journal.removeMock(mockId),
    journalStreaming: (on) => journal.setStreaming(on),
    async invoke(verb, args) {
      for (const h of hosts) {
        const fn = h.verbs?.[verb];
        if (fn) return (fn as (...a: unknown[]) => unknown)(...args);
      }
      throw new MockdError('internal_error', `unknown worker verb ${verb}`);
    },
    async shutdown() {
      await Promise.all(hosts.map((h) => h.close()));
    },
  };
  expose(api, nodeEndpoint(parentPort!));
}
