// Which MethodConfig answers a call (contract §7 "Selection"): the candidates are the config and its variants;
// those with a `match` are tried first, in order, and the first that holds wins; otherwise the first candidate
// without a `match` answers; with none left the caller answers UNIMPLEMENTED. Calls select through their method's
// compiled plan (method-plan.ts), which uses isMatch; selectMethodConfig states the rule on plain configs.

import type { GrpcMethodConfig } from '../../mocks/types.ts';
import { deepEqual } from '../../util/deep-equal.ts';

/** What a match looks at: metadata by lowercase key (all values), and the decoded request message. */
export interface CallFacts {
  metadata: Record<string, string[]>;
  request: unknown;
}

export function selectMethodConfig(config: GrpcMethodConfig, facts: CallFacts): GrpcMethodConfig | undefined {
  const candidates = [config, ...(config.variants ?? [])];
  for (const c of candidates) {
    if (c.match !== undefined && isMatch(c.match, facts)) return c;
  }
  return candidates.find((c) => c.match === undefined);
}

/** True when every key of `match` holds for the call. */
export function isMatch(match: NonNullable<GrpcMethodConfig['match']>, facts: CallFacts): boolean {
  for (const [key, expected] of Object.entries(match.metadata ?? {})) {
    const values = facts.metadata[key.toLowerCase()];
    if (!values || values.length === 0) return false;
    if (expected !== '*' && !values.includes(expected)) return false;
  }
  for (const [field, expected] of Object.entries(match.request ?? {})) {
    if (!isFieldEqual(readField(facts.request, field), expected)) return false;
  }
  return true;
}

/** A field by its .proto name; `a.b` reaches into a nested message when no field is literally named so. */
function readField(message: unknown, field: string): unknown {
  if (message === null || typeof message !== 'object') return undefined;
  const record = message as Record<string, unknown>;
  if (Object.hasOwn(record, field)) return record[field];
  let current: unknown = message;
  for (const part of field.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * Deep equality, plus one allowance: 64-bit integers arrive as decimal strings (proto-loader `longs: String`), so a
 * number in the mock equals the same number written as a string in the request.
 */
function isFieldEqual(actual: unknown, expected: unknown): boolean {
  if (deepEqual(actual, expected)) return true;
  return typeof actual === 'string' && typeof expected === 'number' && actual === String(expected);
}
