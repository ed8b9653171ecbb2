// The two views of a matched request that a response is built from: the template context (§3.3 `request.*`) and the
// script's `request` object (§3.4). Both are built only for mocks that need them, never for a static response.

import type { IncomingHttpHeaders } from 'node:http';
import type { TemplateContext, TemplateRequest } from '../../templating/index.ts';
import type { TlsTemplateView } from '../../contract/tls.ts';

export interface RequestInfo {
  method: string;
  path: string;
  /** Path plus query string, as received. */
  url: string;
  query: URLSearchParams;
  rawBody: string;
  /** `request.tls.*` on the HTTPS port (README "TLS"). */
  tls?: TlsTemplateView;
}

export function buildTemplateContext(info: RequestInfo, headers: IncomingHttpHeaders, pathParams: Record<string, string>): TemplateContext {
  let query: Record<string, string | string[]> | undefined;
  const request: TemplateRequest = {
    method: info.method,
    path: info.path,
    url: info.url,
    rawBody: info.rawBody,
    headers,
    pathParams,
    ...(info.tls ? { tls: info.tls } : {}),
    // Most templates never read the query: build its record on first use. `body` stays unset so the templating
    // engine parses the JSON body only when a template reads it.
    get query() {
      return (query ??= queryRecord(info.query));
    },
  };
  return { request };
}

/** The §3.4 `request` as JSON text: what crosses into the script pool (and is parsed inside the script's context). */
export function buildScriptInput(info: RequestInfo, headers: IncomingHttpHeaders, pathParams: Record<string, string>): string {
  return JSON.stringify({
    method: info.method,
    path: info.path,
    url: info.url,
    query: firstValues(info.query),
    headers: joinedHeaders(headers),
    pathParams,
    body: parseJsonOrNull(info.rawBody),
    rawBody: info.rawBody,
  });
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of params) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** `query{k:v}` of §3.4: the first value of each key, as templates see it. */
function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of params) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/** `headers{lowercase-name:v}` of §3.4: one string per name (Node gives `set-cookie` as a list). */
function joinedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function parseJsonOrNull(raw: string): unknown {
  if (raw === '') return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}
