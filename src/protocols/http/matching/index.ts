// The HTTP matching front door (contract §3.1): build an HttpMockIndex from the mock set, `needsBody` → read the
// body if so → `match`; on a miss, `nearMisses` → buildNoMatchBody for the 404. Schema validation uses checkMatcher.

export { HttpMockIndex, type HttpMatch } from './mock-index.ts';
export { buildNoMatchBody, type NearMiss, type NoMatchBody } from './near-misses.ts';
export { checkMatcher, countCriteria, type MatcherProblem } from './check-matcher.ts';
export { compileMatcher, type CompiledHttpMatcher } from './compile-matcher.ts';
export { RequestView, type HttpMatchRequest } from './request-view.ts';
