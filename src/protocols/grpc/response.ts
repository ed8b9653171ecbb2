// How a configured method ends a call other than with its messages (contract §7): the configured `error`, or
// UNIMPLEMENTED when no candidate holds.

import type { CallHandle } from './call-handle.ts';
import type { Candidate } from './method-plan.ts';
import { GRPC_STATUS } from './status-codes.ts';

/** Ends the call with the candidate's configured `error` (unknown code names are UNKNOWN). */
export function failWithConfiguredError(handle: CallHandle, error: NonNullable<Candidate['error']>): void {
  handle.fail(error.code, error.details);
}

/** The contract's answer when no candidate of a configured method holds (§7 "Selection"). */
export function failWithNoMock(handle: CallHandle, path: string): void {
  handle.unmatched = true;
  handle.fail(GRPC_STATUS.UNIMPLEMENTED, `no mock configured for ${path.slice(1)}`);
}
