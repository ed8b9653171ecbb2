// One ajv (JSON Schema 2020-12, with the standard and OpenAPI formats) per thread, for the schemas mocks carry:
// HTTP request validation, MQTT and WebSocket payload checks. Each schema object is compiled once.

import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Type, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { addOpenApiFormats } from './json-schema-formats.ts';

// ajv is loaded on the first schema a thread compiles, so workers whose mocks carry no schema never load it.
const require = createRequire(import.meta.url);
let instances: { strictTypes: Ajv2020Type; coercing: Ajv2020Type } | undefined;

function ajv(coerce: boolean): Ajv2020Type {
  if (!instances) {
    const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const addFormats = require('ajv-formats') as (ajv: Ajv2020Type) => Ajv2020Type;
    instances = {
      strictTypes: addOpenApiFormats(addFormats(new Ajv2020({ strict: false, allErrors: false }))),
      // Path, query and header values arrive as text: "42" satisfies `type: integer`, as OpenAPI's style rules intend.
      coercing: addOpenApiFormats(addFormats(new Ajv2020({ strict: false, allErrors: false, coerceTypes: 'array' }))),
    };
  }
  return coerce ? instances.coercing : instances.strictTypes;
}

const COMPILED = new WeakMap<object, ValidateFunction>();
const COMPILED_COERCING = new WeakMap<object, ValidateFunction>();

export type JsonSchemaValue = boolean | Record<string, unknown>;

export function compileSchema(schema: JsonSchemaValue, coerce = false): ValidateFunction {
  const key = typeof schema === 'boolean' ? (schema ? TRUE : FALSE) : schema;
  const cache = coerce ? COMPILED_COERCING : COMPILED;
  let fn = cache.get(key);
  if (!fn) {
    fn = ajv(coerce).compile(schema);
    cache.set(key, fn);
  }
  return fn;
}

const TRUE = {};
const FALSE = {};

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The JSON pointer (RFC 6901) of the first error, under `base`, and ajv's reason for it. */
export function describeSchemaError(error: ErrorObject, base = ''): { pointer: string; reason: string } {
  let pointer = `${base}${error.instancePath}`;
  const p = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required' && p.missingProperty !== undefined) pointer += `/${escapePointer(p.missingProperty)}`;
  if (error.keyword === 'additionalProperties' && p.additionalProperty !== undefined) pointer += `/${escapePointer(p.additionalProperty)}`;
  return { pointer: pointer || '/', reason: error.message ?? error.keyword };
}

/** Checks a text payload: JSON against the schema; undefined when valid, else the reason with its pointer. */
export function checkPayload(schema: JsonSchemaValue, text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  const fn = compileSchema(schema);
  if (fn(value)) return undefined;
  const { pointer, reason } = describeSchemaError(fn.errors![0]!);
  return `${pointer}: ${reason}`;
}
