// Calls to the admin API (contract §8). Paths are relative, so the page works wherever the admin API serves it.
// A 401 asks the user for the API key (§8.1) once; the key is then sent as X-API-Key on every call.

import { apiKey } from './api-key.ts';

/** An admin error body `{"error","message","field"?}` (§8.2) with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The dotted path of a validation error (§2), e.g. `http.response.statusCode`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  const key = apiKey.get();
  if (key) headers['x-api-key'] = key;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path.replace(/^\//, ''), {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: { error?: string; message?: string; field?: string } | undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const code = body?.error ?? 'http_error';
    if (res.status === 401) apiKey.request(code === 'invalid_api_key' ? 'The API key was not accepted.' : 'This mockd needs an API key.');
    throw new ApiError(res.status, code, body?.message ?? `HTTP ${res.status}`, body?.field);
  }
  return body as T;
}

/** The message to show for a failed call. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
