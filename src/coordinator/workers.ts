// The registry of protocol workers: which worker serves which mock types and connection protocols.
// The coordinator treats every worker the same way; adding a protocol worker is one entry here plus its file in
// workers/.

import type { MockType } from '../mocks/types.ts';
import type { Protocol } from '../protocols/connections.ts';
import type { WorkerName } from '../protocols/host.ts';

export interface WorkerSpec {
  name: WorkerName;
  mockTypes: MockType[];
  protocols: Protocol[];
}

export const WORKER_SPECS: readonly WorkerSpec[] = [
  { name: 'http', mockTypes: ['http', 'websocket'], protocols: ['websocket', 'sse'] },
  { name: 'mqtt', mockTypes: ['mqtt'], protocols: ['mqtt'] },
  { name: 'grpc', mockTypes: ['grpc'], protocols: ['grpc'] },
];

export function workerForType(type: MockType): WorkerName {
  return WORKER_SPECS.find((w) => w.mockTypes.includes(type))!.name;
}

export function workerForProtocol(protocol: Protocol): WorkerName {
  return WORKER_SPECS.find((w) => w.protocols.includes(protocol))!.name;
}
