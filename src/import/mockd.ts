// mockd and Go mockd config files (contract §2): `{version?, mocks: [...]}`, one mock or an array. The Go mockd's
// protocols that mockd does not serve (GraphQL, SOAP, OAuth, …) and its non-mock sections are named in warnings.

import { isObject } from './parse-text.ts';
import type { ImportedMock, Importer } from './types.ts';

const TYPES = new Set(['http', 'websocket', 'mqtt', 'grpc']);
const ENVELOPE = new Set(['version', 'mocks', 'imports']);

export const importMockd: Importer = async (_source, data) => {
  const warnings: string[] = [];
  let list: unknown[];
  if (Array.isArray(data)) list = data;
  else if (isObject(data) && Array.isArray(data.mocks)) {
    list = data.mocks;
    for (const key of Object.keys(data)) if (!ENVELOPE.has(key)) warnings.push(`top-level section "${key}" is not supported and was skipped`);
  } else list = [data];
  const mocks: ImportedMock[] = [];
  list.forEach((raw, i) => {
    if (!isObject(raw)) {
      mocks.push({ slug: `mock-${i + 1}`, mock: raw as Record<string, unknown> });
      return;
    }
    const type = raw.type;
    if (typeof type === 'string' && !TYPES.has(type)) {
      warnings.push(`mocks[${i}]${raw.id ? ` (${raw.id})` : ''}: type "${type}" is not supported by mockd and was skipped`);
      return;
    }
    const { createdAt: _c, updatedAt: _u, ...mock } = raw;
    mocks.push({ slug: typeof raw.id === 'string' ? raw.id : `mock-${i + 1}`, mock });
  });
  return { format: 'mockd', mocks, warnings };
};
