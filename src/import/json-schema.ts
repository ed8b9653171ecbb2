// OpenAPI 3.0 and Swagger 2.0 schemas are a dialect of JSON Schema draft 4/5 (`nullable`, boolean
// `exclusiveMinimum`, `example`, `type: file`); OpenAPI 3.1 and AsyncAPI payloads are plain JSON Schema. This turns
// a dereferenced schema into JSON Schema 2020-12 that ajv and json-schema-faker both read, and cuts cycles.

import { isObject } from './parse-text.ts';

const DROP = new Set(['example', 'xml', 'externalDocs', 'discriminator', 'deprecated', 'x-examples']);

export function toJsonSchema(schema: unknown, seen = new Set<object>()): Record<string, unknown> {
  if (!isObject(schema)) return typeof schema === 'boolean' ? (schema ? {} : { not: {} }) : {};
  // A recursive schema (a tree of categories) is cut at the point where it repeats: anything is allowed there.
  if (seen.has(schema)) return {};
  seen.add(schema);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROP.has(key) || key.startsWith('x-')) continue;
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions' || key === '$defs') {
      out[key] = Object.fromEntries(Object.entries(value ?? {}).map(([k, v]) => [k, toJsonSchema(v, seen)]));
    } else if (key === 'items' && !Array.isArray(value)) out.items = toJsonSchema(value, seen);
    else if (['allOf', 'anyOf', 'oneOf', 'prefixItems'].includes(key) && Array.isArray(value)) out[key] = value.map((v) => toJsonSchema(v, seen));
    else if (['additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else'].includes(key) && isObject(value)) {
      out[key] = toJsonSchema(value, seen);
    } else out[key] = value;
  }
  seen.delete(schema);
  if (out.type === 'file') out.type = 'string';
  // Draft 4 style exclusive bounds (OpenAPI 3.0, Swagger 2.0) become the numeric form.
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof out[flag] === 'boolean') {
      if (out[flag] && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else delete out[flag];
    }
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  } else delete out.nullable;
  // `readOnly`/`writeOnly` are annotations here; ajv in strict mode would otherwise reject unknown formats.
  return out;
}
