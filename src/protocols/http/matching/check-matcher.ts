// Semantic checks of a matcher for the mock validator (contract §3.1 and §2 field paths). The schema checks shapes and
// types; this checks what only compiling tells: regexes that do not compile, JSONPath keys that do not parse, and the
// rules between fields.

import { checkJsonPath } from '../../../util/json-path.ts';
import type { HttpMatcher } from '../../../mocks/types.ts';

export interface MatcherProblem {
  /** Dotted path of the offending field, e.g. `http.matcher.pathPattern`. */
  field: string;
  reason: string;
}

/** The first problem in `matcher`, in the order of the contract table, or undefined when it is usable. */
export function checkMatcher(matcher: HttpMatcher, prefix = 'http.matcher'): MatcherProblem | undefined {
  const at = (field: string, reason: string): MatcherProblem => ({ field: `${prefix}.${field}`, reason });
  if (countCriteria(matcher) === 0) return { field: prefix, reason: 'at least one criterion is required' };
  if (matcher.path !== undefined) {
    if (matcher.pathPattern !== undefined) return at('pathPattern', 'not allowed together with path');
    if (!matcher.path.startsWith('/')) return at('path', 'must start with "/"');
  }
  if (matcher.pathPattern !== undefined) {
    const reason = checkRegExp(matcher.pathPattern);
    if (reason) return at('pathPattern', reason);
  }
  if (matcher.bodyEquals !== undefined && matcher.bodyContains !== undefined) {
    return at('bodyContains', 'not allowed together with bodyEquals');
  }
  if (matcher.bodyPattern !== undefined) {
    const reason = checkRegExp(matcher.bodyPattern);
    if (reason) return at('bodyPattern', reason);
  }
  for (const path of Object.keys(matcher.bodyJsonPath ?? {})) {
    const reason = checkJsonPath(path);
    if (reason) return at('bodyJsonPath', `${reason} in key ${JSON.stringify(path)}`);
  }
  return undefined;
}

/** Criteria a matcher sets: each header, query parameter and bodyJsonPath entry counts once (contract §3.1). */
export function countCriteria(m: HttpMatcher): number {
  const single = [m.method, m.path, m.pathPattern, m.bodyEquals, m.bodyPattern, m.bodyContains, m.mtls];
  return (
    single.filter((v) => v !== undefined).length +
    Object.keys(m.headers ?? {}).length +
    Object.keys(m.queryParams ?? {}).length +
    Object.keys(m.bodyJsonPath ?? {}).length
  );
}

function checkRegExp(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (err) {
    return `invalid regular expression: ${(err as Error).message}`;
  }
}
