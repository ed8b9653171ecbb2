// Unknown fields inside a spec (contract §2 drops them, so the Go mockd's configs load). A field mockd does not know
// but the Go mockd does (go-mockd-fields.ts) is dropped later with a warning; a field neither knows is most likely a
// typo that would silently widen a mock (`methd` makes a matcher match every method), so it is refused with the
// nearest name mockd knows at that place. The raw input is walked beside the zod schema before parsing, so the typo
// is reported even when it also leaves the matcher without a criterion.

import type { z } from 'zod';
import type { GoFieldNode } from './go-mockd-fields.ts';

/** What a zod schema accepts at one place: objects by their keys, records, arrays, or anything at all. */
interface Shapes {
  free: boolean;
  objects: Record<string, z.ZodType>[];
  records: z.ZodType[];
  arrays: z.ZodType[];
}

type Def = { type: string; [k: string]: any };

function collect(schema: z.ZodType, into: Shapes, seen = new Set<z.ZodType>()): Shapes {
  if (seen.has(schema)) return into;
  seen.add(schema);
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  switch (def.type) {
    case 'object':
      into.objects.push(def.shape);
      break;
    case 'record':
      into.records.push(def.valueType);
      break;
    case 'array':
      into.arrays.push(def.element);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      collect(def.innerType, into, seen);
      break;
    case 'lazy':
      collect(def.getter(), into, seen);
      break;
    case 'union':
      for (const option of def.options) collect(option, into, seen);
      break;
    case 'intersection':
      collect(def.left, into, seen);
      collect(def.right, into, seen);
      break;
    case 'pipe':
      // A preprocess step may rename keys before the object sees them: nothing is known for sure here.
      if ((def.in as { _zod: { def: Def } })._zod.def.type === 'transform') into.free = true;
      else collect(def.in, into, seen);
      break;
    case 'string':
    case 'number':
    case 'int':
    case 'boolean':
    case 'bigint':
    case 'literal':
    case 'enum':
    case 'null':
    case 'undefined':
    case 'date':
      break;
    default:
      into.free = true;
  }
  return into;
}

function shapesOf(schemas: z.ZodType[]): Shapes {
  const into: Shapes = { free: false, objects: [], records: [], arrays: [] };
  for (const s of schemas) collect(s, into);
  return into;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function goChild(go: GoFieldNode | undefined, key: string): GoFieldNode | undefined {
  if (go === 'any') return 'any';
  if (go === undefined || go === true) return undefined;
  return go[key] ?? go['*'];
}

/** Edit distance (insert, delete, substitute, swap two neighbours), case-insensitive. */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known name nearest to `field`, if it is near enough to be what was meant. */
export function nearestName(field: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(field.length / 3)) + 1;
  for (const name of known) {
    const d = distance(field, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

export interface UnknownField {
  path: PropertyKey[];
  /** `unknown field (did you mean "method"?)` */
  reason: string;
}

/** The first field of `raw` that neither `schemas` (mockd) nor `go` (the Go mockd) knows at its place. */
export function findUnknownField(raw: unknown, schemas: z.ZodType[], go: GoFieldNode | undefined, path: PropertyKey[]): UnknownField | undefined {
  if (go === 'any' || (!Array.isArray(raw) && !isPlainObject(raw))) return undefined;
  const shapes = shapesOf(schemas);
  if (shapes.free) return undefined;
  if (Array.isArray(raw)) {
    if (shapes.arrays.length === 0) return undefined;
    for (const [i, item] of raw.entries()) {
      const found = findUnknownField(item, shapes.arrays, go, [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (shapes.records.length > 0) {
    for (const [k, v] of Object.entries(raw)) {
      const found = findUnknownField(v, shapes.records, goChild(go, k), [...path, k]);
      if (found) return found;
    }
    return undefined;
  }
  if (shapes.objects.length === 0) return undefined;
  const known = new Set(shapes.objects.flatMap((shape) => Object.keys(shape)));
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    if (known.has(k)) {
      const inner = shapes.objects.flatMap((shape) => (shape[k] ? [shape[k]] : []));
      const found = findUnknownField(v, inner, goChild(go, k), [...path, k]);
      if (found) return found;
      continue;
    }
    if (typeof go === 'object' && Object.hasOwn(go, k)) continue;
    const near = nearestName(k, known);
    return { path: [...path, k], reason: `unknown field${near ? ` (did you mean "${near}"?)` : ''}` };
  }
  return undefined;
}
