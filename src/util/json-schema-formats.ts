// Formats OpenAPI adds to JSON Schema (OpenAPI 3.1 §4.2, the format registry), so ajv checks them instead of
// warning that they are unknown. `password` and `binary` are hints only: any string passes.

import type { Ajv } from 'ajv';

const INT32 = { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 } as const;
const INT64 = { type: 'number', validate: (n: number) => Number.isInteger(n) } as const;

export function addOpenApiFormats<T extends Pick<Ajv, 'addFormat'>>(ajv: T): T {
  ajv.addFormat('int32', INT32);
  ajv.addFormat('int64', INT64);
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('binary', true);
  ajv.addFormat('password', true);
  return ajv;
}
