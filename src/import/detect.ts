// Which format a file is, from its content first and its name second (a `.proto` is not JSON or YAML).

import { isObject } from './parse-text.ts';
import type { ImportFormat } from './types.ts';

/** Proto files are recognised by name or by a `syntax`/`package`/`service` line; the rest by their top-level keys. */
export function looksLikeProto(text: string, fileName?: string): boolean {
  if (fileName?.toLowerCase().endsWith('.proto')) return true;
  return /^\s*(syntax\s*=\s*"proto[23]"|package\s+[\w.]+\s*;|service\s+\w+\s*\{)/m.test(text);
}

export function detectFormat(data: unknown): ImportFormat | undefined {
  if (Array.isArray(data)) {
    if (data.every((m) => isObject(m) && ('request' in m || 'response' in m) && !('http' in m))) return 'wiremock';
    return 'mockd';
  }
  if (!isObject(data)) return undefined;
  if (typeof data.openapi === 'string' || typeof data.swagger === 'string') return 'openapi';
  if (typeof data.asyncapi === 'string') return 'asyncapi';
  if (Array.isArray(data.mappings) || (isObject(data.request) && isObject(data.response))) return 'wiremock';
  if (isObject(data.info) && typeof data.info.schema === 'string' && data.info.schema.includes('postman')) return 'postman';
  if (Array.isArray(data.item) && isObject(data.info)) return 'postman';
  if (isObject(data.log) && Array.isArray(data.log.entries)) return 'har';
  if (Array.isArray(data.routes) && ('lastMigration' in data || 'endpointPrefix' in data || 'uuid' in data)) return 'mockoon';
  if (Array.isArray(data.mocks) || ['http', 'websocket', 'mqtt', 'grpc'].some((k) => k in data) || ('matcher' in data && 'response' in data)) return 'mockd';
  return undefined;
}
