// How a configured method ends a call other than with its messages (contract §7): the configured `error`, or
// UNIMPLEMENTED when no candidate holds; and what templates see (§7 "Templating"): `request.body.<field>` (the
// decoded request, .proto field names) and `request.header.<key>` (metadata).

import type { TemplateContext } from '../../templating/index.ts';
import type { CallHandle } from './call-handle.ts';
import type { Candidate } from './method-plan.ts';
import { GRPC_STATUS } from './status-codes.ts';

export function templateContext(request: unknown, metadata: Record<string, string[]>): TemplateContext {
  return { request: { body: request, headers: metadata } };
}

/** Ends the call with the candidate's configured `error` (unknown code names are UNKNOWN). */
export function failWithConfiguredError(handle: CallHandle, error: NonNullable<Candidate['error']>): void {
  handle.fail(error.code, error.details);
}

/** The contract's answer when no candidate of a configured method holds (§7 "Selection"). */
export function failWithNoMock(handle: CallHandle, path: string): void {
  handle.unmatched = true;
  handle.fail(GRPC_STATUS.UNIMPLEMENTED, `no mock configured for ${path.slice(1)}`);
}
