// One criterion per row of the contract §3.1 matcher table (one per entry for headers, queryParams and bodyJsonPath),
// each with its score, its test and the near-miss reason it gives when it fails.

import { deepEqual } from '../../../util/deep-equal.ts';
import { type JsonPathSegment, evaluateJsonPath, parseJsonPath } from '../../../util/json-path.ts';
import { type CompiledPath, PATH_SCORE, compilePath, escapeRegExp } from './path-template.ts';
import type { RequestView } from './request-view.ts';
import type { MtlsMatcher } from '../../../mocks/types.ts';
import { compileClientCertTest, explainClientCert } from '../../tls/client-match.ts';

export type CriterionField =
  | 'method'
  | 'path'
  | 'pathPattern'
  | 'headers'
  | 'queryParams'
  | 'bodyEquals'
  | 'bodyPattern'
  | 'bodyContains'
  | 'bodyJsonPath'
  | 'mtls';

export interface Criterion {
  readonly field: CriterionField;
  readonly score: number;
  readonly needsBody: boolean;
  test(view: RequestView): boolean;
  /** Why `test` failed for this request, e.g. `method: expected POST, got GET`. */
  explain(view: RequestView): string;
}

export function methodCriterion(method: string): Criterion {
  const expected = method.toUpperCase();
  return {
    field: 'method',
    score: 10,
    needsBody: false,
    test: (view) => view.method === expected,
    explain: (view) => `method: expected ${expected}, got ${view.method}`,
  };
}

export function pathCriterion(path: string): Criterion & { compiled: CompiledPath } {
  const compiled = compilePath(path);
  return {
    field: 'path',
    score: PATH_SCORE[compiled.kind],
    needsBody: false,
    compiled,
    test: (view) => compiled.matches(view),
    explain: (view) => `path: expected ${path}, got ${view.path}`,
  };
}

/** Tried on the path as sent, then decoded, as an exact `path` is: `^/café$` matches `/caf%C3%A9`. */
export function pathPatternCriterion(pattern: string): Criterion {
  const regex = new RegExp(pattern);
  return {
    field: 'pathPattern',
    score: 14,
    needsBody: false,
    test: (view) => regex.test(view.path) || (view.decodedPath !== view.path && regex.test(view.decodedPath)),
    explain: (view) => `path: expected to match ${pattern}, got ${view.path}`,
  };
}

/** Header names ignore case; values are exact or a glob with `*` (`pre*`, `*suf`, `*mid*`). */
export function headerCriterion(name: string, value: string): Criterion {
  const lower = name.toLowerCase();
  const fits = compileGlob(value);
  return {
    field: 'headers',
    score: 10,
    needsBody: false,
    test: (view) => {
      const actual = view.header(lower);
      return actual !== undefined && fits(actual);
    },
    explain: (view) => `header ${name}: expected ${value}, got ${view.header(lower) ?? 'missing'}`,
  };
}

export function queryCriterion(name: string, value: string): Criterion {
  return {
    field: 'queryParams',
    score: 5,
    needsBody: false,
    test: (view) => view.query(name) === value,
    explain: (view) => `query ${name}: expected ${value}, got ${view.query(name) ?? 'missing'}`,
  };
}

export function bodyEqualsCriterion(expected: string): Criterion {
  return {
    field: 'bodyEquals',
    score: 25,
    needsBody: true,
    test: (view) => view.body === expected,
    explain: (view) => `body: expected ${clip(expected)}, got ${showBody(view)}`,
  };
}

export function bodyPatternCriterion(pattern: string): Criterion {
  const regex = new RegExp(pattern);
  return {
    field: 'bodyPattern',
    score: 22,
    needsBody: true,
    test: (view) => regex.test(view.body),
    explain: (view) => `body: expected to match ${pattern}, got ${showBody(view)}`,
  };
}

export function bodyContainsCriterion(text: string): Criterion {
  return {
    field: 'bodyContains',
    score: 20,
    needsBody: true,
    test: (view) => view.body.includes(text),
    explain: (view) => `body: expected to contain ${clip(text)}, got ${showBody(view)}`,
  };
}

export function bodyJsonPathCriterion(path: string, expected: unknown): Criterion {
  const segments: JsonPathSegment[] = parseJsonPath(path);
  const lookup = (view: RequestView) => {
    const json = view.json;
    return json === undefined ? undefined : evaluateJsonPath(json.value, segments);
  };
  return {
    field: 'bodyJsonPath',
    score: 15,
    needsBody: true,
    test: (view) => {
      const result = lookup(view);
      return result !== undefined && result.found && deepEqual(result.value, expected);
    },
    explain: (view) => {
      const result = lookup(view);
      const got = result === undefined ? 'a body that is not JSON' : result.found ? showJson(result.value) : 'missing';
      return `body ${path}: expected ${showJson(expected)}, got ${got}`;
    },
  };
}

/** The client certificate of the HTTPS connection (README "TLS"): every field set must hold. */
export function mtlsCriterion(m: MtlsMatcher): Criterion {
  const fits = compileClientCertTest(m);
  return {
    field: 'mtls',
    score: 20,
    needsBody: false,
    test: (view) => fits(view.request.clientCert),
    explain: (view) => explainClientCert(m, view.request.clientCert),
  };
}

function compileGlob(glob: string): (value: string) => boolean {
  if (!glob.includes('*')) return (value) => value === glob;
  const regex = new RegExp(`^${glob.split('*').map(escapeRegExp).join('.*')}$`, 's');
  return (value) => regex.test(value);
}

const CLIP = 60;

/** Keeps near-miss reasons one short line however large the body. */
function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > CLIP ? `${line.slice(0, CLIP)}…` : line;
}

function showBody(view: RequestView): string {
  return view.body === '' ? 'empty body' : clip(view.body);
}

function showJson(value: unknown): string {
  return clip(JSON.stringify(value) ?? String(value));
}
