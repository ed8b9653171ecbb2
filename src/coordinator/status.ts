// `/ports` and `/handlers` (contract §1, §8.4): what listens where, and the live handlers of the connection
// protocols, put together from the workers' listeners, the store and the registrations.

import type { Mock } from '../mocks/types.ts';
import type { ConnectionStats, Protocol } from '../contract/protocols.ts';
import { MOCK_TYPE_PROFILES, protocolOfMock } from '../contract/profiles.ts';
import type { ListenerInfo } from '../contract/worker-api.ts';
import type { MockRegistrations } from './registrations.ts';

export type PortView = Omit<ListenerInfo, 'component'> & { component: ListenerInfo['component'] | 'admin-api' };

/** Every listener, the admin API's, and each enabled own-port mock that could not bind (`status: error`). */
export function listPorts(listeners: ListenerInfo[], adminPort: number, mocks: readonly Mock[], registrations: MockRegistrations): PortView[] {
  const ports: PortView[] = listeners.map((l) => ({ ...l }));
  ports.push({ port: adminPort, protocol: 'http', component: 'admin-api', status: 'listening' });
  for (const mock of mocks) {
    const ownPort = MOCK_TYPE_PROFILES[mock.type].ownPort;
    if (!ownPort || !mock.enabled || registrations.runtimeOf(mock.id)?.status !== 'error') continue;
    ports.push({ port: ownPort.read(mock) ?? 0, protocol: mock.type as 'mqtt' | 'grpc', component: ownPort.component, mockId: mock.id, status: 'error' });
  }
  return ports.sort((a, b) => a.port - b.port);
}

export interface HandlerView {
  id: string;
  type: Protocol;
  port: number;
  path: string;
  status: 'running' | 'error';
  connections: number;
  version: number;
  error?: string;
}

/** The enabled mocks of the connection protocols, with their live connection counts. */
export async function listHandlers(
  mocks: readonly Mock[],
  registrations: MockRegistrations,
  statsOf: (protocol: Protocol) => Promise<ConnectionStats> | undefined,
): Promise<HandlerView[]> {
  const counts = new Map<Protocol, Record<string, number>>();
  const handlers: HandlerView[] = [];
  for (const mock of mocks) {
    if (!mock.enabled) continue;
    const kind = protocolOfMock(mock);
    if (!kind) continue;
    if (!counts.has(kind)) counts.set(kind, (await statsOf(kind))?.connectionsByMock ?? {});
    const rt = registrations.runtimeOf(mock.id);
    const path = kind === 'websocket' ? mock.websocket!.path : kind === 'sse' ? (mock.http!.matcher.path ?? mock.http!.matcher.pathPattern ?? '') : '';
    const entry: HandlerView = {
      id: mock.id,
      type: kind,
      // A mock that could not bind has no runtime port; like /ports, show the port it asked for.
      port: rt?.port ?? MOCK_TYPE_PROFILES[mock.type].ownPort?.read(mock) ?? 0,
      path,
      status: rt?.status === 'running' ? 'running' : 'error',
      connections: counts.get(kind)?.[mock.id] ?? 0,
      version: registrations.versionOf(mock.id),
    };
    if (rt?.error) entry.error = rt.error;
    handlers.push(entry);
  }
  return handlers;
}
