// Mock fields that carry a contract into the worker (issue 22): documented alternative responses an HTTP request
// can pick with `Prefer`, and JSON Schemas a request or a received message is checked against. They are plain data
// on the mock; a mock without them costs the worker nothing.

import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';

// Loaded on the first schema to check, so a mockd whose mocks carry none never loads ajv.
const require = createRequire(import.meta.url);
let checker: Ajv2020 | undefined;

function schemaChecker(): Ajv2020 {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  checker ??= new Ajv({ strict: false, allErrors: false, validateFormats: false });
  return checker;
}

/** Any JSON Schema (2020-12) that compiles. */
export const jsonSchemaSchema = z.union([z.boolean(), z.record(z.string(), z.unknown())]).superRefine((schema, ctx) => {
  try {
    schemaChecker().compile(schema);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not a valid JSON Schema: ${(err as Error).message}` });
  }
});

/** The name an `http.responses[]` entry adds to a response, for `Prefer: example=<name>`. */
export const alternativeNameSchema = z.object({ name: z.string().min(1).optional() });

/**
 * `http.validation`: what a request must satisfy, each part a JSON Schema: `pathParams`, `query` and `headers` are
 * objects of strings (coerced to the schema's types; header names lowercase), `body` is the parsed JSON body.
 */
export const httpValidationSchema = z.object({
  pathParams: jsonSchemaSchema.optional(),
  query: jsonSchemaSchema.optional(),
  headers: jsonSchemaSchema.optional(),
  body: jsonSchemaSchema.optional(),
  bodyRequired: z.boolean().optional(),
});

/** `mqtt.topics[].schema` / `websocket.schema`: received payloads are checked and journaled `valid: false` when not. */
export const payloadValidationSchema = jsonSchemaSchema;
