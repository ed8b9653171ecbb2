// Shared by the contract import tests: the fixtures folder, posting a file to POST /import, and an independent JSON
// Schema validator (ajv with the standard and OpenAPI formats) that checks every generated body.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ROOT, type Admin } from '../helpers/mockd.ts';

export const CONTRACTS = join(ROOT, 'test', 'fixtures', 'contracts');

export function fixture(name: string): string {
  return readFileSync(join(CONTRACTS, name), 'utf8');
}

/** POST /import with the file's text as the body. */
export async function postImport(m: Admin, text: string, query = '') {
  return m.api(`/import${query ? `?${query}` : ''}`, { method: 'POST', body: text, headers: { 'content-type': 'text/plain' } });
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** A validator for OpenAPI/AsyncAPI/JSON schemas: unknown keywords (xml, example) are annotations. */
export function createSchemaValidator() {
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  for (const f of ['float', 'double']) ajv.addFormat(f, { type: 'number', validate: () => true });
  for (const f of ['byte', 'binary', 'password']) ajv.addFormat(f, true);
  return (schema: object, value: unknown): string | undefined => {
    const validate = ajv.compile(schema);
    return validate(value) ? undefined : ajv.errorsText(validate.errors);
  };
}
