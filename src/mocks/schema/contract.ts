// Mock fields that carry a contract into the worker (issue 22): documented alternative responses an HTTP request
// can pick with `Prefer`, and JSON Schemas a request or a received message is checked against. They are plain data
// on the mock; a mock without them costs the worker nothing.

import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';

const checker = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });

/** Any JSON Schema (2020-12) that compiles. */
export const jsonSchemaSchema = z.union([z.boolean(), z.record(z.string(), z.unknown())]).superRefine((schema, ctx) => {
  try {
    checker.compile(schema);
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
