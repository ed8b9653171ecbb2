// Matching throughput with 10 vs 10,000 mocks: the index should keep the common case flat (contract §3.1 matching).
// Run: node --import tsx benchmarks/http-matching.ts

import type { HttpMatcher, Mock } from '../src/mocks/types.ts';
import { compileMatcher } from '../src/protocols/http/matching/compile-matcher.ts';
import { HttpMockIndex } from '../src/protocols/http/matching/mock-index.ts';
import { type HttpMatchRequest, RequestView } from '../src/protocols/http/matching/request-view.ts';

interface Scenario {
  name: string;
  matcher(i: number): HttpMatcher;
  path(i: number): string;
}

const scenarios: Scenario[] = [
  { name: 'exact paths', matcher: (i) => ({ method: 'GET', path: `/api/items/${i}` }), path: (i) => `/api/items/${i}` },
  {
    name: 'param paths',
    matcher: (i) => ({ method: 'GET', path: `/api/r${i}/{id}`, headers: { 'X-Api': 'key-*' } }),
    path: (i) => `/api/r${i}/${i * 7}`,
  },
];

function buildMocks(count: number, scenario: Scenario): Mock[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `http_${i}`,
    type: 'http',
    name: `mock ${i}`,
    description: '',
    enabled: true,
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    http: { matcher: scenario.matcher(i), response: { statusCode: 200 } },
  }));
}

type Matcher = (request: HttpMatchRequest) => unknown;

function sampleRequests(count: number, scenario: Scenario): HttpMatchRequest[] {
  return Array.from({ length: 1024 }, () => {
    const i = Math.floor(Math.random() * count);
    return { method: 'GET', path: scenario.path(i), query: new URLSearchParams('a=1'), headers: { 'x-api': 'key-1' } };
  });
}

/** Matches per second over about `budgetMs`, after a warm-up so the JIT has settled. */
function measure(match: Matcher, requests: HttpMatchRequest[], budgetMs: number, batch: number): number {
  for (let i = 0; i < batch * 5; i++) match(requests[i & 1023]!);
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < budgetMs) {
    for (let i = 0; i < batch; i++) {
      if (!match(requests[(done + i) & 1023]!)) throw new Error('benchmark request did not match');
    }
    done += batch;
  }
  return done / ((performance.now() - start) / 1000);
}

/** What matching would cost without the index: every mock tested in turn. */
function linearScan(mocks: Mock[]): Matcher {
  const compiled = mocks.map((mock) => compileMatcher(mock.http!.matcher));
  return (request) => {
    const view = new RequestView(request);
    return compiled.some((matcher) => matcher.matches(view));
  };
}

function report(label: string, perSecond: number, note = ''): void {
  console.log(`${label.padEnd(40)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} matches/s${note}`);
}

for (const scenario of scenarios) {
  for (const count of [10, 10_000]) {
    const mocks = buildMocks(count, scenario);
    const buildStart = performance.now();
    const index = new HttpMockIndex(mocks);
    const buildMs = performance.now() - buildStart;
    const perSecond = measure((r) => index.match(r), sampleRequests(count, scenario), 1000, 10_000);
    report(`${scenario.name}, ${count} mocks`, perSecond, `  (index built in ${buildMs.toFixed(1)} ms)`);
  }
  const mocks = buildMocks(10_000, scenario);
  report(`${scenario.name}, 10000 mocks, no index`, measure(linearScan(mocks), sampleRequests(10_000, scenario), 500, 100));
}
