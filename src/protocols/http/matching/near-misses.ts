// Near misses for the 404 no_match answer (contract §3.1): mocks that match some but not all of a request. Only
// computed after a miss, so a linear scan over every mock is fine here.

import type { Mock } from '../../../mocks/types.ts';
import type { CompiledHttpMatcher } from './compile-matcher.ts';
import type { HttpMatchRequest, RequestView } from './request-view.ts';

export interface NearMiss {
  mockId: string;
  mockName: string;
  matchPercentage: number;
  reason: string;
}

export interface NoMatchBody {
  error: 'no_match';
  message: string;
  method: string;
  path: string;
  nearMisses: NearMiss[];
}

/** What near-miss ranking needs of a mock; `rank` is its place in the index's tie-break order (lower first). */
export interface RankedMatcher {
  mock: Mock;
  matcher: CompiledHttpMatcher;
  rank: number;
}

export const MAX_NEAR_MISSES = 3;

/**
 * Mocks with at least one matching criterion, best first: higher matchPercentage, then higher score of the matched
 * criteria, then the selection tie-break (priority, createdAt). `reason` is the first failing criterion in table order.
 */
export function findNearMisses(entries: Iterable<RankedMatcher>, view: RequestView, limit = MAX_NEAR_MISSES): NearMiss[] {
  const found: { nearMiss: NearMiss; score: number; rank: number }[] = [];
  for (const { mock, matcher, rank } of entries) {
    let matched = 0;
    let score = 0;
    let reason: string | undefined;
    for (const criterion of matcher.criteria) {
      if (criterion.test(view)) {
        matched++;
        score += criterion.score;
      } else {
        reason ??= criterion.explain(view);
      }
    }
    if (matched === 0 || reason === undefined) continue;
    const matchPercentage = Math.round((100 * matched) / matcher.criteria.length);
    found.push({ nearMiss: { mockId: mock.id, mockName: mock.name, matchPercentage, reason }, score, rank });
  }
  found.sort(
    (a, b) => b.nearMiss.matchPercentage - a.nearMiss.matchPercentage || b.score - a.score || a.rank - b.rank,
  );
  return found.slice(0, limit).map((f) => f.nearMiss);
}

/** The 404 body of contract §3.1; send it with `X-Mockd-Near-Misses: <nearMisses.length>`. */
export function buildNoMatchBody(request: Pick<HttpMatchRequest, 'method' | 'path'>, nearMisses: NearMiss[]): NoMatchBody {
  return {
    error: 'no_match',
    message: 'No mock matched the request',
    method: request.method,
    path: request.path,
    nearMisses,
  };
}
