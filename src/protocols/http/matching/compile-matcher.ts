// A matcher compiled once into the ordered criteria of contract §3.1, so matching a request only runs tests.

import { validationError } from '../../../errors.ts';
import type { HttpMatcher } from '../../../mocks/types.ts';
import { checkMatcher } from './check-matcher.ts';
import * as c from './criteria.ts';
import type { CompiledPath } from './path-template.ts';
import type { RequestView } from './request-view.ts';

export interface CompiledHttpMatcher {
  /** In the contract table's order, which is also the order near-miss reasons are looked for in. */
  readonly criteria: readonly c.Criterion[];
  /** The score when every criterion matches, which is the only way a mock scores at all. */
  readonly score: number;
  readonly needsBody: boolean;
  readonly method?: string;
  readonly path?: CompiledPath;
  readonly hasPathPattern: boolean;
  /** Whole path segments every path matching `pathPattern` starts with (from a `^/literal/…` pattern), for the index. */
  readonly patternPrefix?: readonly string[];
  matches(view: RequestView): boolean;
  /** The `{name}` path parameters of a request this matcher matches, URL-decoded. */
  pathParams(view: RequestView): Record<string, string>;
}

/** Throws a validation_error MockdError (field `http.matcher.…`) when checkMatcher finds a problem. */
export function compileMatcher(matcher: HttpMatcher): CompiledHttpMatcher {
  const problem = checkMatcher(matcher);
  if (problem) throw validationError(problem.field, problem.reason);

  const criteria: c.Criterion[] = [];
  let path: CompiledPath | undefined;
  if (matcher.method !== undefined) criteria.push(c.methodCriterion(matcher.method));
  if (matcher.path !== undefined) {
    const criterion = c.pathCriterion(matcher.path);
    path = criterion.compiled;
    criteria.push(criterion);
  }
  if (matcher.pathPattern !== undefined) criteria.push(c.pathPatternCriterion(matcher.pathPattern));
  // String(): a YAML config may write `X-Version: 2`; the request side is always text.
  for (const [name, value] of Object.entries(matcher.headers ?? {})) {
    criteria.push(c.headerCriterion(name, String(value)));
  }
  for (const [name, value] of Object.entries(matcher.queryParams ?? {})) {
    criteria.push(c.queryCriterion(name, String(value)));
  }
  if (matcher.bodyEquals !== undefined) criteria.push(c.bodyEqualsCriterion(matcher.bodyEquals));
  if (matcher.bodyPattern !== undefined) criteria.push(c.bodyPatternCriterion(matcher.bodyPattern));
  if (matcher.bodyContains !== undefined) criteria.push(c.bodyContainsCriterion(matcher.bodyContains));
  for (const [key, value] of Object.entries(matcher.bodyJsonPath ?? {})) {
    criteria.push(c.bodyJsonPathCriterion(key, value));
  }
  if (matcher.mtls !== undefined) criteria.push(c.mtlsCriterion(matcher.mtls));

  return {
    criteria,
    score: criteria.reduce((sum, criterion) => sum + criterion.score, 0),
    needsBody: criteria.some((criterion) => criterion.needsBody),
    method: matcher.method?.toUpperCase(),
    path,
    hasPathPattern: matcher.pathPattern !== undefined,
    patternPrefix: matcher.pathPattern === undefined ? undefined : literalSegmentsOfPattern(matcher.pathPattern),
    matches: (view) => criteria.every((criterion) => criterion.test(view)),
    pathParams: (view) => path?.params(view) ?? {},
  };
}

const LITERAL = /[A-Za-z0-9/_~-]/;
const QUANTIFIER = /[?*+{]/;

/**
 * The leading whole segments of an anchored pattern (`^/legacy/v1/.*` → ['legacy', 'v1']), or undefined when there
 * are none to be sure of. A pattern with alternation is never indexed: `^/a|/b` does not start with `/a`.
 */
export function literalSegmentsOfPattern(source: string): string[] | undefined {
  if (!source.startsWith('^/') || source.includes('|')) return undefined;
  let literal = '';
  for (let i = 1; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\' && /[/\-_~]/.test(source[i + 1] ?? '')) {
      literal += source[++i];
      continue;
    }
    if (LITERAL.test(ch)) {
      literal += ch;
      continue;
    }
    // A quantifier makes the character before it optional or repeated: it is not part of the prefix.
    if (QUANTIFIER.test(ch)) literal = literal.slice(0, -1);
    break;
  }
  const segments = literal.slice(0, literal.lastIndexOf('/')).split('/').filter(Boolean);
  return segments.length > 0 ? segments : undefined;
}
