// The small JSONPath subset mocks use to point into a JSON document: HTTP `bodyJsonPath` keys (contract §3.1) and
// WebSocket `json` matchers (§5). Supported: `$`, `.name`, `[0]` (negative counts from the end), `['name']`,
// `["name"]`, in any sequence. Wildcards, slices and filters are not part of the contract, so they are rejected.

export type JsonPathSegment = string | number;

export interface JsonPathResult {
  found: boolean;
  value: unknown;
}

export class JsonPathSyntaxError extends Error {
  override readonly name = 'JsonPathSyntaxError';
}

const NOT_FOUND: JsonPathResult = Object.freeze({ found: false, value: undefined });

/** Parses `$.a[0]['b']` into `['a', 0, 'b']`; throws JsonPathSyntaxError saying what is wrong and where. */
export function parseJsonPath(expr: string): JsonPathSegment[] {
  if (!expr.startsWith('$')) throw new JsonPathSyntaxError(`must start with "$"`);
  const segments: JsonPathSegment[] = [];
  let i = 1;
  while (i < expr.length) {
    const ch = expr[i];
    if (ch === '.') {
      let end = i + 1;
      while (end < expr.length && expr[end] !== '.' && expr[end] !== '[') end++;
      if (end === i + 1) throw new JsonPathSyntaxError(`empty name at position ${i + 1}`);
      segments.push(expr.slice(i + 1, end));
      i = end;
    } else if (ch === '[') {
      i = parseBracket(expr, i + 1, segments);
    } else {
      throw new JsonPathSyntaxError(`unexpected "${ch}" at position ${i}`);
    }
  }
  return segments;
}

/** Reads one `[...]` body starting after the `[`; returns the index after the closing `]`. */
function parseBracket(expr: string, start: number, out: JsonPathSegment[]): number {
  const quote = expr[start];
  if (quote === "'" || quote === '"') {
    let name = '';
    let i = start + 1;
    for (; i < expr.length && expr[i] !== quote; i++) {
      if (expr[i] === '\\' && i + 1 < expr.length) i++;
      name += expr[i];
    }
    if (expr[i] !== quote || expr[i + 1] !== ']') throw new JsonPathSyntaxError(`unterminated [${quote}…${quote}] at position ${start - 1}`);
    out.push(name);
    return i + 2;
  }
  const close = expr.indexOf(']', start);
  const body = close === -1 ? '' : expr.slice(start, close);
  if (!/^-?\d+$/.test(body)) throw new JsonPathSyntaxError(`expected an index or a quoted name at position ${start - 1}`);
  out.push(Number(body));
  return close + 1;
}

/** The reason `expr` is not a usable path, or undefined when it parses: for validators. */
export function checkJsonPath(expr: string): string | undefined {
  try {
    parseJsonPath(expr);
    return undefined;
  } catch (err) {
    return err instanceof JsonPathSyntaxError ? `invalid JSONPath: ${err.message}` : String(err);
  }
}

/**
 * The value at `path` in `doc`. A name only finds an own property of an object, an index only an element of an array;
 * anything else is `{found: false}`. A string path is parsed on every call (and may throw); parse once for hot paths.
 */
export function evaluateJsonPath(doc: unknown, path: string | readonly JsonPathSegment[]): JsonPathResult {
  const segments = typeof path === 'string' ? parseJsonPath(path) : path;
  let current = doc;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return NOT_FOUND;
      const index = segment < 0 ? current.length + segment : segment;
      if (index < 0 || index >= current.length) return NOT_FOUND;
      current = current[index];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) return NOT_FOUND;
      if (!Object.hasOwn(current, segment)) return NOT_FOUND;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value: current };
}
