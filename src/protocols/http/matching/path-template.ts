// The matcher's `path` (contract §3.1), compiled once into per-segment tests:
// - no `{…}` and no `*`: exact, the request path must be identical (+15);
// - `{name}` as a whole segment or beside text (`{id}.json`, `v{ver}`): same segment count, each segment matches (+12);
// - `*`: a final `/*` matches the prefix itself and anything below it (`/x/*` → `/x`, `/x/a/b`); a `*` elsewhere
//   matches any text inside one segment (+10).
// Segments are compared URL-decoded, so captured parameters come out decoded.

import { type RequestView, safeDecode, splitPath } from './request-view.ts';

export type PathKind = 'exact' | 'param' | 'wildcard';

export const PATH_SCORE: Record<PathKind, number> = { exact: 15, param: 12, wildcard: 10 };

type SegmentTest = string | { regex: RegExp; names: string[] };

export interface CompiledPath {
  readonly kind: PathKind;
  readonly source: string;
  /** The leading segments that are plain text: the index files param and wildcard paths under them. */
  readonly literalPrefix: readonly string[];
  matches(view: RequestView): boolean;
  /** The `{name}` values of a matching request, URL-decoded. */
  params(view: RequestView): Record<string, string>;
}

const TOKEN = /\{([^{}/]+)\}|\*/g;

export function compilePath(source: string): CompiledPath {
  // Decoded like the request's segments, so a template may be written either way (`/caf%C3%A9/{id}`, `/café/{id}`).
  const raw = splitPath(source).map(safeDecode);
  const hasTail = raw.length > 0 && raw[raw.length - 1] === '*';
  const fixed = hasTail ? raw.slice(0, -1) : raw;
  const tests = fixed.map(compileSegment);
  const isPlain = tests.every((t) => typeof t === 'string');
  const kind: PathKind = hasTail || source.includes('*') ? 'wildcard' : isPlain ? 'exact' : 'param';
  const firstPattern = tests.findIndex((t) => typeof t !== 'string');
  const literalPrefix = (firstPattern === -1 ? tests : tests.slice(0, firstPattern)) as string[];

  if (kind === 'exact') {
    return {
      kind,
      source,
      literalPrefix,
      matches: (view) => view.path === source || view.decodedPath === source,
      params: () => ({}),
    };
  }

  const fits = (segments: string[]): boolean =>
    hasTail ? segments.length >= tests.length : segments.length === tests.length;
  return {
    kind,
    source,
    literalPrefix,
    matches(view) {
      const segments = view.segments;
      if (!fits(segments)) return false;
      for (let i = 0; i < tests.length; i++) {
        const test = tests[i]!;
        if (typeof test === 'string' ? test !== segments[i] : !test.regex.test(segments[i]!)) return false;
      }
      return true;
    },
    params(view) {
      const params: Record<string, string> = {};
      const segments = view.segments;
      tests.forEach((test, i) => {
        if (typeof test === 'string' || test.names.length === 0) return;
        const found = test.regex.exec(segments[i] ?? '');
        test.names.forEach((name, g) => {
          if (found?.[g + 1] !== undefined) params[name] = found[g + 1]!;
        });
      });
      return params;
    },
  };
}

function compileSegment(segment: string): SegmentTest {
  if (!segment.includes('*') && !/\{[^{}/]+\}/.test(segment)) return segment;
  const names: string[] = [];
  let pattern = '';
  let last = 0;
  for (const token of segment.matchAll(TOKEN)) {
    pattern += escapeRegExp(segment.slice(last, token.index));
    if (token[1] === undefined) {
      pattern += '.*';
    } else {
      names.push(token[1]);
      pattern += '(.+?)';
    }
    last = token.index + token[0].length;
  }
  pattern += escapeRegExp(segment.slice(last));
  return { regex: new RegExp(`^${pattern}$`, 's'), names };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
