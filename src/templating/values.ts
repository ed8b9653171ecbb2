// Value helpers shared by the resolvers: turning values into text, walking JSON, reading maps ignoring case.

/**
 * The rendered text of a value (§3.3): strings as they are, objects and arrays as compact JSON, `undefined` (unknown
 * or unresolvable) as "". `null` is JSON and renders "null". A value JSON cannot encode (a cycle, a BigInt inside an
 * object) renders "" rather than throwing.
 */
export function toText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      if (value === null) return 'null';
      try {
        return JSON.stringify(value) ?? '';
      } catch {
        return '';
      }
    default:
      return '';
  }
}

/** The first value of a query parameter or header that may repeat. */
export function firstValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * An own property of `record`: the exact key first, then any key equal ignoring case ("names ignore case", §3.3).
 * Own properties only, so `constructor` or `__proto__` never reach the prototype.
 */
export function readKey(record: unknown, key: string): unknown {
  if (typeof record !== 'object' || record === null) return undefined;
  if (Object.hasOwn(record, key)) return (record as Record<string, unknown>)[key];
  if (Array.isArray(record)) return undefined;
  const lower = key.toLowerCase();
  for (const candidate in record) {
    if (candidate.toLowerCase() === lower && Object.hasOwn(record, candidate)) {
      return (record as Record<string, unknown>)[candidate];
    }
  }
  return undefined;
}

/** Walks `segments[start…]` down a JSON value; array items are addressed by their index (`items.0`, `items[0]`). */
export function walk(value: unknown, segments: readonly string[], start: number): unknown {
  let current = value;
  for (let i = start; i < segments.length && current !== undefined; i++) current = readKey(current, segments[i]!);
  return current;
}

/** An argument as a number: numbers as they are, numeric text parsed, anything else NaN. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

// JSON's number grammar: what `renderScalar` accepts as "a numeric result" (SSE random schema, §4).
const NUMBER_LITERAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** `text` as a number when it is a finite JSON number literal, otherwise the text itself. */
export function toScalar(text: string): string | number {
  if (!NUMBER_LITERAL.test(text)) return text;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}
