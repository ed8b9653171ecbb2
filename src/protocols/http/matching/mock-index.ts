// The enabled HTTP (and SSE) mocks arranged so that matching a request looks only at mocks that could match it
// (contract §3.1). Rebuilt from scratch whenever the mock set changes. Mocks are filed by method (plus a bucket for
// method-less ones) and then by path: exact paths in a hash map, `{param}` and `*` paths in a trie of their leading
// literal segments, and pathPattern or path-less mocks in a short list scanned on every request.

import type { Mock } from '../../../mocks/types.ts';
import { type CompiledHttpMatcher, compileMatcher } from './compile-matcher.ts';
import { type NearMiss, type RankedMatcher, findNearMisses } from './near-misses.ts';
import { type HttpMatchRequest, RequestView } from './request-view.ts';

export interface HttpMatch {
  mock: Mock;
  /** `{name}` values from the path, URL-decoded. */
  pathParams: Record<string, string>;
  score: number;
  /** A HEAD request matched as GET because nothing matched it as HEAD: answer without a body. */
  headFallback: boolean;
}

type Entry = RankedMatcher;

class TrieNode {
  readonly children = new Map<string, TrieNode>();
  readonly entries: Entry[] = [];
}

/** The mocks of one method (or of no method). Every list is kept in rank order, best first. */
class MethodBucket {
  private readonly exact = new Map<string, Entry[]>();
  private readonly trie = new TrieNode();
  private readonly unindexed: Entry[] = [];

  add(entry: Entry): void {
    const path = entry.matcher.path;
    if (path === undefined) {
      // A pattern anchored on literal segments is filed under them, so other paths never run its regex.
      const prefix = entry.matcher.patternPrefix;
      if (prefix) this.#nodeAt(prefix).entries.push(entry);
      else this.unindexed.push(entry);
    } else if (path.kind === 'exact') {
      const list = this.exact.get(path.source);
      if (list) list.push(entry);
      else this.exact.set(path.source, [entry]);
    } else {
      this.#nodeAt(path.literalPrefix).entries.push(entry);
    }
  }

  #nodeAt(segments: readonly string[]): TrieNode {
    let node = this.trie;
    for (const segment of segments) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = new TrieNode()));
      node = child;
    }
    return node;
  }

  /** Pushes every list that may hold a mock matching `view`'s path. */
  collect(view: RequestView, out: Entry[][]): void {
    const exact = this.exact.get(view.path);
    if (exact) out.push(exact);
    if (view.decodedPath !== view.path) {
      const decoded = this.exact.get(view.decodedPath);
      if (decoded) out.push(decoded);
    }
    let node: TrieNode | undefined = this.trie;
    if (node.entries.length > 0) out.push(node.entries);
    // The path is split only when some mock of this bucket is filed under a segment.
    if (node.children.size > 0) for (const segment of view.segments) {
      node = node.children.get(segment);
      if (!node) break;
      if (node.entries.length > 0) out.push(node.entries);
    }
    if (this.unindexed.length > 0) out.push(this.unindexed);
  }
}

export class HttpMockIndex {
  private readonly entries: Entry[] = [];
  private readonly byMethod = new Map<string, MethodBucket>();
  private readonly anyMethod = new MethodBucket();
  /** Whether some mock matches on the body: near misses are only exact when the body was read. */
  readonly hasBodyMatchers: boolean;
  /** Ids of mocks left out because their matcher does not compile (validation should have refused them). */
  readonly skipped: string[] = [];

  /** Files every enabled mock with an `http.matcher`; disabled and non-HTTP mocks are left out. */
  constructor(mocks: readonly Mock[]) {
    const found: { mock: Mock; matcher: CompiledHttpMatcher; position: number; createdAt: number }[] = [];
    mocks.forEach((mock, position) => {
      if (!mock.enabled || mock.type !== 'http' || !mock.http?.matcher) return;
      try {
        const createdAt = Date.parse(mock.createdAt);
        found.push({ mock, matcher: compileMatcher(mock.http.matcher), position, createdAt });
      } catch {
        this.skipped.push(mock.id);
      }
    });
    // Selection order of contract §3.1: score, then priority, then createdAt; list position settles the rest.
    found.sort(
      (a, b) =>
        b.matcher.score - a.matcher.score ||
        (b.mock.http!.priority ?? 0) - (a.mock.http!.priority ?? 0) ||
        timeOrder(a.createdAt, b.createdAt) ||
        a.position - b.position,
    );
    found.forEach(({ mock, matcher }, rank) => {
      const entry: Entry = { mock, matcher, rank };
      this.entries.push(entry);
      this.bucketFor(matcher.method).add(entry);
    });
    this.hasBodyMatchers = this.entries.some((e) => e.matcher.needsBody);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The winning mock, or undefined when none matches; a HEAD that matches nothing is tried again as GET. */
  match(request: HttpMatchRequest): HttpMatch | undefined {
    const view = new RequestView(request);
    const won = this.select(view);
    if (won) return toMatch(won, view, false);
    if (view.method !== 'HEAD') return undefined;
    const asGet = view.withMethod('GET');
    const fallback = this.select(asGet);
    return fallback && toMatch(fallback, asGet, true);
  }

  /**
   * Whether a mock that could match this method and path looks at the body. When false the body need not be read
   * before `match` (pass no `rawBody`); when true, read it and pass it.
   */
  needsBody(method: string, path: string): boolean {
    const view = new RequestView({ method, path, query: {}, headers: {} });
    const views = view.method === 'HEAD' ? [view, view.withMethod('GET')] : [view];
    return views.some((v) => this.candidateLists(v).some((list) => list.some((e) => e.matcher.needsBody)));
  }

  /** Near misses for a request that matched nothing (contract §3.1): at most 3, best first. */
  nearMisses(request: HttpMatchRequest): NearMiss[] {
    return findNearMisses(this.entries, new RequestView(request));
  }

  private bucketFor(method: string | undefined): MethodBucket {
    if (method === undefined) return this.anyMethod;
    let bucket = this.byMethod.get(method);
    if (!bucket) this.byMethod.set(method, (bucket = new MethodBucket()));
    return bucket;
  }

  private candidateLists(view: RequestView): Entry[][] {
    const lists: Entry[][] = [];
    this.byMethod.get(view.method)?.collect(view, lists);
    this.anyMethod.collect(view, lists);
    return lists;
  }

  /** Each list is in rank order, so a list is done at its first match or once it cannot beat the best so far. */
  private select(view: RequestView): Entry | undefined {
    let best: Entry | undefined;
    for (const list of this.candidateLists(view)) {
      for (const entry of list) {
        if (best && entry.rank >= best.rank) break;
        if (entry.matcher.matches(view)) {
          best = entry;
          break;
        }
      }
    }
    return best;
  }
}

function toMatch(entry: Entry, view: RequestView, headFallback: boolean): HttpMatch {
  return { mock: entry.mock, pathParams: entry.matcher.pathParams(view), score: entry.matcher.score, headFallback };
}

/** Earlier first; an unparsable timestamp sorts last. */
function timeOrder(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  return a - b;
}
