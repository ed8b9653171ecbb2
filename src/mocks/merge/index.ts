// Port sharing (contract §6, §7): a create on a port held by a mock of the same protocol merges into it.

import type { Mock, MockType } from '../types.ts';
import { mergeMqttMock } from './mqtt.ts';
import { mergeGrpcMock } from './grpc.ts';

export interface MergeResult {
  mock: Mock;
  added: string[];
  total: number;
}

export const MERGERS: Partial<Record<MockType, (target: Mock, incoming: Mock) => MergeResult>> = {
  mqtt: mergeMqttMock,
  grpc: mergeGrpcMock,
};
