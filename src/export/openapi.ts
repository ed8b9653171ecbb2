// OpenAPI 3.1 from the HTTP mocks: one operation per mock with an exact or templated path and a method. Each
// response is documented with its body as the example (`http.responses` as named examples), and `http.validation`
// becomes the operation's parameters and request body. What OpenAPI cannot say is listed in `x-mockd-skipped`.

import type { Mock } from '../mocks/types.ts';

type Obj = Record<string, any>;

function mediaOf(body: unknown): Obj | undefined {
  if (body === undefined) return undefined;
  const type = typeof body === 'string' && !/^\s*[[{]/.test(body) ? 'text/plain' : 'application/json';
  return { [type]: { example: body } };
}

function parametersOf(mock: Mock): Obj[] {
  const http = mock.http!;
  const out: Obj[] = [];
  const v = http.validation;
  const props = (s: unknown): Obj => ((s as Obj | undefined)?.properties ?? {}) as Obj;
  const required = (s: unknown): string[] => ((s as Obj | undefined)?.required ?? []) as string[];
  for (const m of (http.matcher.path ?? '').matchAll(/\{([^}]+)\}/g)) {
    out.push({ name: m[1], in: 'path', required: true, schema: props(v?.pathParams)[m[1]!] ?? { type: 'string' } });
  }
  const query = new Map<string, Obj>();
  for (const [k, value] of Object.entries(http.matcher.queryParams ?? {})) query.set(k, { name: k, in: 'query', required: true, schema: { type: 'string', enum: [value] } });
  for (const [k, schema] of Object.entries(props(v?.query))) if (!query.has(k)) query.set(k, { name: k, in: 'query', required: required(v?.query).includes(k), schema });
  out.push(...query.values());
  for (const [k, schema] of Object.entries(props(v?.headers))) out.push({ name: k, in: 'header', required: required(v?.headers).includes(k), schema });
  return out;
}

export function exportOpenApi(mocks: readonly Mock[]): Obj {
  const paths: Obj = {};
  const skipped: string[] = [];
  for (const mock of mocks) {
    if (mock.type !== 'http') continue;
    const http = mock.http!;
    if (http.sse) {
      skipped.push(`${mock.id}: SSE streams are not described by OpenAPI`);
      continue;
    }
    if (!http.matcher.path || http.matcher.path.includes('*')) {
      skipped.push(`${mock.id}: only exact or {param} paths can be exported`);
      continue;
    }
    const method = (http.matcher.method ?? 'get').toLowerCase();
    const item = (paths[http.matcher.path] ??= {});
    if (item[method]) {
      skipped.push(`${mock.id}: ${method.toUpperCase()} ${http.matcher.path} is already described by another mock`);
      continue;
    }
    const responses: Obj = {};
    const all = [{ name: undefined as string | undefined, ...http.response! }, ...(http.responses ?? [])];
    for (const r of all) {
      const code = String(r.statusCode);
      const entry = (responses[code] ??= { description: r.name ?? code });
      const media = mediaOf(r.body);
      if (!media) continue;
      const [type, value] = Object.entries(media)[0]!;
      const content = (entry.content ??= {});
      const slot = (content[type] ??= {});
      if (r.name) (slot.examples ??= {})[r.name] = { value: value.example };
      else slot.example ??= value.example;
    }
    const op: Obj = { operationId: mock.id, summary: mock.name || undefined, description: mock.description || undefined, 'x-mockd-id': mock.id, responses };
    const parameters = parametersOf(mock);
    if (parameters.length > 0) op.parameters = parameters;
    if (http.validation?.body !== undefined) {
      op.requestBody = { required: http.validation.bodyRequired === true, content: { 'application/json': { schema: http.validation.body } } };
    }
    item[method] = JSON.parse(JSON.stringify(op));
  }
  const doc: Obj = { openapi: '3.1.0', info: { title: 'mockd export', version: '1.0.0' }, paths };
  if (skipped.length > 0) doc['x-mockd-skipped'] = skipped;
  return doc;
}
