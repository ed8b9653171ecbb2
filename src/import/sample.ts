// Example values generated from a JSON Schema with json-schema-faker: valid against the schema (types, formats,
// enums, bounds, required, patterns, allOf/oneOf), and the same for the same seed, so an imported mock answers the
// same body after every restart and a test can pin it.

import { generateSync } from 'json-schema-faker';
import { toJsonSchema } from './json-schema.ts';

export const DEFAULT_SEED = 1;

/** A value valid against `schema` (OpenAPI/AsyncAPI dialect accepted); `key` varies the seed per schema use. */
export function sampleOf(schema: unknown, seed = DEFAULT_SEED, key = ''): unknown {
  const json = toJsonSchema(schema);
  let s = seed >>> 0;
  for (let i = 0; i < key.length; i++) s = (Math.imul(s ^ key.charCodeAt(i), 16777619) >>> 0);
  return generateSync(json as never, { seed: s, alwaysFakeOptionals: true, maxItems: 3, maxDepth: 6, refDepthMax: 2 });
}
