// Mockoon environments → HTTP mocks (one per route; the default response answers and every response is kept in
// `http.responses` for `Prefer: example=<label>`) and WebSocket mocks (one per `ws` route). Response rules, CRUD
// routes, data buckets, file bodies and Mockoon's Handlebars helpers are named in warnings.

import { HOP_BY_HOP, bodyOf, colonParams, headerMap, slugify } from './http-shapes.ts';
import type { ImportedMock, Importer } from './types.ts';

export const importMockoon: Importer = async (_source, data) => {
  const env = data as Record<string, any>;
  const warnings: string[] = [];
  const mocks: ImportedMock[] = [];
  const prefix = env.endpointPrefix ? `/${String(env.endpointPrefix).replace(/^\/+|\/+$/g, '')}` : '';
  const globalHeaders = headerMap(env.headers, HOP_BY_HOP) ?? {};
  if (env.proxyMode) warnings.push('proxy mode is not supported');
  if ((env.data ?? []).length > 0) warnings.push('data buckets are not supported');
  for (const route of env.routes ?? []) {
    const path = `${prefix}/${colonParams(String(route.endpoint ?? '').replace(/^\/+/, ''))}`.replace(/\/+$/, '') || '/';
    const label = `${route.type === 'ws' ? 'WS' : String(route.method ?? 'get').toUpperCase()} ${path}`;
    const warn = (w: string) => warnings.push(`${label}: ${w}`);
    if (route.type === 'crud') {
      warn('CRUD routes are not supported and were skipped');
      continue;
    }
    const list: any[] = route.responses ?? [];
    for (const r of list) {
      if ((r.rules ?? []).length > 0) warn(`response rules of "${r.label || r.uuid}" are not supported: it is reachable with Prefer only`);
      if (r.bodyType === 'FILE') warn(`file body ${r.filePath} is not supported`);
      if (r.bodyType === 'DATABUCKET') warn('data bucket bodies are not supported');
      if (typeof r.body === 'string' && r.body.includes('{{')) warn(`Mockoon template helpers in "${r.label || r.uuid}" are not translated`);
    }
    if (route.type === 'ws') {
      const first = list.find((r) => r.default) ?? list[0];
      const body = String(first?.body ?? '');
      const interval = Number(route.streamingInterval ?? 0);
      const websocket: Record<string, unknown> = { path };
      if (route.streamingMode && interval > 0) {
        websocket.scenario = { name: 'stream', loop: true, steps: [{ type: 'send', message: { type: 'text', value: body } }, { type: 'wait', duration: interval }] };
        websocket.echoMode = false;
      } else websocket.defaultResponse = { type: 'text', value: body };
      mocks.push({ slug: slugify(label), mock: { type: 'websocket', name: label, description: route.documentation ?? '', websocket } });
      continue;
    }
    if (route.responseMode && route.responseMode !== null) warn(`response mode ${route.responseMode} is not supported`);
    const responses = list.map((r, i) => {
      const headers = { ...globalHeaders, ...(headerMap(r.headers, HOP_BY_HOP) ?? {}) };
      const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
      const out: Record<string, unknown> = { name: r.label || `response-${i + 1}`, statusCode: Number(r.statusCode ?? 200) };
      if (Object.keys(headers).length > 0) out.headers = headers;
      const body = r.bodyType === 'INLINE' || r.bodyType === undefined ? bodyOf(r.body, contentType) : undefined;
      if (body !== undefined) out.body = body;
      if (r.latency > 0) out.delayMs = Math.min(30000, Number(r.latency));
      return out;
    });
    const main = list.findIndex((r) => r.default);
    const { name: _n, ...response } = (responses[main === -1 ? 0 : main] ?? { statusCode: 200 }) as Record<string, unknown>;
    const http: Record<string, unknown> = { matcher: { method: String(route.method ?? 'get').toUpperCase(), path }, response };
    if (responses.length > 1) http.responses = responses;
    mocks.push({ slug: slugify(label), mock: { type: 'http', name: label, description: route.documentation ?? '', http } });
  }
  return { format: 'mockoon', mocks, warnings };
};
