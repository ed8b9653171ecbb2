// Builds HTTP mocks for the matching tests: only what matching reads is worth spelling out in a case.

import type { HttpMatcher, Mock } from '../../../../src/mocks/types.ts';
import type { HttpMatchRequest } from '../../../../src/protocols/http/matching/request-view.ts';

let counter = 0;

export function makeMock(
  matcher: HttpMatcher,
  extra: { id?: string; name?: string; priority?: number; createdAt?: string; enabled?: boolean; sse?: boolean } = {},
): Mock {
  counter++;
  const createdAt = extra.createdAt ?? '2026-03-01T10:00:00.000Z';
  return {
    id: extra.id ?? `http_${counter}`,
    type: 'http',
    name: extra.name ?? '',
    description: '',
    enabled: extra.enabled ?? true,
    createdAt,
    updatedAt: createdAt,
    http: {
      priority: extra.priority,
      matcher,
      ...(extra.sse ? { sse: { events: [{ data: 'x' }] } } : { response: { statusCode: 200 } }),
    },
  };
}

export function makeRequest(
  method: string,
  url: string,
  extra: { headers?: Record<string, string | string[]>; rawBody?: string } = {},
): HttpMatchRequest {
  const parsed = new URL(url, 'http://127.0.0.1');
  return { method, path: parsed.pathname, query: parsed.searchParams, headers: extra.headers ?? {}, rawBody: extra.rawBody };
}
