// The front door of the `mockd` package: the typed admin client, a programmatic start, and the contract types.

export { MockdClient, type WriteResult, type MockInput } from './client/admin-client.ts';
export { startMockd, type StartOptions, type RunningMockd } from './server.ts';
export { MockdError, ERROR_STATUS, type ErrorCode, type ErrorBody } from './errors.ts';
export type * from './mocks/types.ts';
export type { JournalEntry, JournalFilter, JournalProtocol } from './journal/types.ts';
export type { Protocol, CloseReason } from './contract/protocols.ts';
export type { ChaosConfig, ChaosRule, ConnectionFault, ConnectionFaultKind, FaultBlock, HttpFaultKind, LatencySpec } from './contract/faults.ts';
