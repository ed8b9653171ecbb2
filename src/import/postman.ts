// Postman Collection v2.1 → one HTTP mock per request that has saved example responses: the first example answers
// (a 2xx one when there is one), and every example is kept in `http.responses` so `Prefer: example=<name>` picks it.
// Collection variables in URLs (`{{baseUrl}}`) are stripped; auth, scripts and requests without examples are named.

import { isObject } from './parse-text.ts';
import { HOP_BY_HOP, bodyOf, colonParams, headerMap, slugify, splitUrl } from './http-shapes.ts';
import type { ImportedMock, Importer } from './types.ts';

function pathOf(url: any): { path: string; query: Record<string, string> } {
  if (typeof url === 'string') return splitUrl(url.replace(/^\{\{[^}]+\}\}/, ''));
  if (isObject(url)) {
    if (Array.isArray(url.path)) {
      const query: Record<string, string> = {};
      for (const q of url.query ?? []) if (!q.disabled && q.key && !(q.key in query)) query[q.key] = q.value ?? '';
      return { path: `/${url.path.join('/')}`, query };
    }
    if (typeof url.raw === 'string') return splitUrl(url.raw.replace(/^\{\{[^}]+\}\}/, ''));
  }
  return { path: '/', query: {} };
}

function walk(items: any[], trail: string[], visit: (item: any, trail: string[]) => void): void {
  for (const item of items ?? []) {
    if (Array.isArray(item.item)) walk(item.item, [...trail, item.name ?? ''], visit);
    else visit(item, trail);
  }
}

export const importPostman: Importer = async (_source, data) => {
  const doc = data as Record<string, any>;
  const warnings: string[] = [];
  const mocks: ImportedMock[] = [];
  if (doc.auth) warnings.push('collection auth is not enforced');
  if (doc.event) warnings.push('collection scripts (pre-request, test) are not run');
  walk(doc.item ?? [], [], (item, trail) => {
    const label = [...trail, item.name].filter(Boolean).join(' / ');
    const req = item.request ?? {};
    const method = typeof req === 'string' ? 'GET' : (req.method ?? 'GET');
    const { path, query } = pathOf(typeof req === 'string' ? req : req.url);
    const examples: any[] = item.response ?? [];
    if (item.event) warnings.push(`${label}: scripts are not run`);
    if (req.auth) warnings.push(`${label}: auth is not enforced`);
    if (examples.length === 0) {
      warnings.push(`${label}: no saved example response, answered 200 with no body`);
    }
    const responses = examples.map((ex, i) => {
      const headers = headerMap(ex.header, HOP_BY_HOP);
      const contentType = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
      const body = bodyOf(ex.body, contentType ?? (ex._postman_previewlanguage === 'json' ? 'application/json' : undefined));
      const out: Record<string, unknown> = { name: ex.name ?? `example-${i + 1}`, statusCode: ex.code ?? 200 };
      if (headers) out.headers = headers;
      if (body !== undefined) out.body = body;
      return out;
    });
    const main = responses.find((r) => (r.statusCode as number) >= 200 && (r.statusCode as number) < 300) ?? responses[0] ?? { statusCode: 200 };
    const { name: _name, ...response } = main;
    const matcher: Record<string, unknown> = { method, path: colonParams(path) };
    if (Object.keys(query).length > 0) warnings.push(`${label}: query parameters ${Object.keys(query).join(', ')} are not matched`);
    const http: Record<string, unknown> = { matcher, response };
    if (responses.length > 1) http.responses = responses;
    mocks.push({ slug: slugify(label), mock: { type: 'http', name: label, description: typeof req.description === 'string' ? req.description : '', http } });
  });
  return { format: 'postman', mocks, warnings };
};
