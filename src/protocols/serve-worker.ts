// The worker side of the WorkerApi (src/contract/worker-api.ts): builds a worker's hosts and answers the
// coordinator's calls over Comlink by routing them to the host of a mock or the manager of a protocol. The coordinator
// never knows which hosts a worker runs, only which worker serves a mock type or a connection protocol.

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { expose } from 'comlink';
import { nodeEndpoint } from '../util/node-endpoint.ts';
import type { Mock } from '../mocks/types.ts';
import { MockdError } from '../errors.ts';
import { installErrorTransfer } from '../util/comlink-errors.ts';
import type { ConnectionEvent, ConnectionManager, Protocol } from '../contract/protocols.ts';
import type { WorkerApi, WorkerInit } from '../contract/worker-api.ts';
import { useSharedIdCounters, useTlsStats, useWorkerName } from './connections.ts';
import { usePoolCounts } from './pool-counts.ts';
import type { HostFactory, ProtocolHost } from './host.ts';
import type { WebSocketConnectionManager } from './websocket/manager.ts';
import { journal } from '../journal/recorder.ts';
import type { FaultEvent } from '../contract/faults.ts';
import { chaosCounts, setChaos } from './faults/chaos-state.ts';
import { onFaultEvent, setMockFaults } from './faults/fault-sources.ts';
import { metrics } from '../metrics/collector.ts';
import { useMetricsPort } from './metrics-text.ts';
import { useThreadLogger } from '../util/logger.ts';

/** Batches connection events for one tick and posts them on the events port. */
function createEventForwarder(port: MessagePort): (event: ConnectionEvent | FaultEvent) => void {
  let batch: (ConnectionEvent | FaultEvent)[] = [];
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
  useThreadLogger({ level: init.options.logLevel, format: init.options.logFormat, bindings: { worker: init.label ?? init.options.worker ?? 'worker' } });
  journal.configure({ size: init.options.journalSize ?? 10000, counter: init.journalCounter, port: init.events, logRequests: init.options.logRequests });
  useSharedIdCounters(init.idCounters);
  usePoolCounts(init.poolCounts);
  useWorkerName(init.options.worker);
  useTlsStats(init.options.tls !== undefined);
  metrics.enabled = init.options.metrics !== false;
  useMetricsPort(init.events);
  const hosts: ProtocolHost[] = [];
  for (const factory of factories) hosts.push(await factory(init.options));

  const forward = createEventForwarder(init.events);
  onFaultEvent(forward);
  const managers = new Map<Protocol, ConnectionManager>();
  for (const host of hosts) {
    for (const m of host.managers) {
      managers.set(m.protocol, m);
      m.onEvent(forward);
      m.onEvent(metrics.onConnectionEvent);
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
    async apply(mock, placement) {
      // A mock can move between hosts only by changing type, which the coordinator handles as remove + apply.
      setMockFaults(mock.id, mock.faults);
      return hostOf(mock).apply(mock, placement);
    },
    async validate(mock) {
      await hostOf(mock).validate?.(mock);
    },
    async remove(mockId) {
      setMockFaults(mockId, undefined);
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
    faultConnection: (protocol, id, fault) => managerOf(protocol).fault(id, fault),
    faultConnectionsOfMock: (protocol, mockId, fault) => managerOf(protocol).faultByMock(mockId, fault),
    liftConnectionFault: (protocol, id) => managerOf(protocol).liftFault(id),
    liftConnectionFaultsOfMock: (protocol, mockId) => managerOf(protocol).liftFaultsOfMock(mockId),
    setChaos: (config) => setChaos(config),
    chaosCounts: () => ({ ...chaosCounts }),
    // WebSocket send is the one protocol verb beyond the shared vocabulary; it lives on the WebSocket manager.
    sendWebSocket: (id, type, data) => (managerOf('websocket') as WebSocketConnectionManager).send(id, type, data),
    setEnabledCount(count) {
      for (const h of hosts) h.setEnabledCount?.(count);
    },
    journalQuery: (filter) => journal.query(filter),
    journalClear: () => journal.clear(),
    journalRemoveMock: (mockId) => journal.removeMock(mockId),
    journalStreaming: (on) => journal.setStreaming(on),
    async reloadTls(material) {
      init.options.tls = material;
      for (const h of hosts) h.reloadTls?.(material);
    },
    metrics: () => metrics.snapshot(journal.stats()),
    async shutdown() {
      await Promise.all(hosts.map((h) => h.close()));
    },
  };
  expose(api, nodeEndpoint(parentPort!));
}
