// gRPC status codes by the names mocks use in `error.code` (contract §7), and the goodbye each close reason sends.

import type { CloseReason } from '../../contract/protocols.ts';

/** The canonical codes of grpc/doc/statuscodes.md, by name. */
export const GRPC_STATUS = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type GrpcStatusName = keyof typeof GRPC_STATUS;

/** The numeric code of an `error.code` name; any other name is UNKNOWN, as contract §7 says. */
export function statusCodeOf(name: string): number {
  const upper = name.trim().toUpperCase();
  return Object.hasOwn(GRPC_STATUS, upper) ? GRPC_STATUS[upper as GrpcStatusName] : GRPC_STATUS.UNKNOWN;
}

/**
 * What a stream ended by the server hears, per close reason (contract §7 and §1 "Shutdown"). All are UNAVAILABLE (14):
 * the status clients treat as "try again", which is what each of these situations is.
 */
export const GOODBYE_DETAILS: Record<CloseReason, string> = {
  admin: 'stream cancelled by admin',
  mock_changed: 'mock configuration updated',
  shutdown: 'server shutting down',
  server: 'stream closed by server',
  client: 'stream closed',
};

/** Close reasons the admin caused, directly or through a mock change: these count in `cancelledByAdmin` (§7). */
export function isAdminCancel(reason: CloseReason): boolean {
  return reason === 'admin' || reason === 'mock_changed';
}
