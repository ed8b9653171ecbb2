// HAR 1.2 → one HTTP mock per entry: the request's method, path and query string, answered with the recorded
// status, headers and body. Entries repeating an earlier method and path are skipped (the first recording answers),
// and binary bodies are named in warnings.

import { HOP_BY_HOP, bodyOf, headerMap, slugify, splitUrl } from './http-shapes.ts';
import type { ImportedMock, Importer } from './types.ts';

export const importHar: Importer = async (_source, data) => {
  const entries: any[] = (data as { log: { entries: any[] } }).log.entries;
  const warnings: string[] = [];
  const mocks: ImportedMock[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const req = entry.request ?? {};
    const res = entry.response ?? {};
    const { path, query } = splitUrl(String(req.url ?? '/'));
    const method = String(req.method ?? 'GET').toUpperCase();
    const key = `${method} ${path}?${new URLSearchParams(query)}`;
    if (seen.has(key)) {
      warnings.push(`entries[${i}] ${method} ${path}: repeats an earlier request and was skipped`);
      return;
    }
    seen.add(key);
    const matcher: Record<string, unknown> = { method, path };
    if (Object.keys(query).length > 0) matcher.queryParams = query;
    const response: Record<string, unknown> = { statusCode: res.status >= 100 && res.status <= 599 ? res.status : 200 };
    const headers = headerMap(res.headers, [...HOP_BY_HOP, 'set-cookie']);
    if (headers) response.headers = headers;
    const content = res.content ?? {};
    if (content.encoding === 'base64') {
      const bytes = Buffer.from(String(content.text ?? ''), 'base64');
      if (/^(text\/|application\/(json|xml|javascript))/.test(content.mimeType ?? '')) response.body = bodyOf(bytes.toString('utf8'), content.mimeType);
      else warnings.push(`entries[${i}] ${method} ${path}: binary ${content.mimeType ?? ''} body was dropped`);
    } else {
      const body = bodyOf(content.text, content.mimeType);
      if (body !== undefined) response.body = body;
    }
    if (res.status === 0) warnings.push(`entries[${i}] ${method} ${path}: status 0 (no response recorded), answered 200`);
    mocks.push({ slug: slugify(`${method}-${path}`), mock: { type: 'http', name: `${method} ${path}`, http: { matcher, response } } });
  });
  return { format: 'har', mocks, warnings };
};
