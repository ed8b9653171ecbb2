// Admin plane safety (contract §8.1): the Host check against DNS rebinding, CORS off unless origins are listed, and
// the optional API key. Runs before every route.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { H3, H3Event } from 'h3';
import { MockdError } from '../errors.ts';
import { json } from './respond.ts';

export interface AdminSecurity {
  /** The configured --host; its name is accepted in Host headers besides the loopback names. */
  host: string;
  apiKey?: string;
  corsOrigins?: string[];
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const ALLOWED_HEADERS = 'Content-Type, X-API-Key, Authorization';
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

/** The hostname of a Host header value: `[::1]:4290` → `[::1]`, `localhost:4290` → `localhost`. */
export function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1).toLowerCase();
  const colon = hostHeader.lastIndexOf(':');
  return (colon === -1 ? hostHeader : hostHeader.slice(0, colon)).toLowerCase();
}

function isAllowedHost(hostHeader: string | null, configured: string): boolean {
  if (!hostHeader) return false;
  const name = hostnameOf(hostHeader);
  if (LOOPBACK_NAMES.has(name)) return true;
  const cfg = configured.toLowerCase();
  return name === cfg || name === `[${cfg}]`;
}

/** Hashing first gives equal-length buffers, so timingSafeEqual compares in constant time whatever the lengths. */
export function keysMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function presentedKey(event: H3Event, url: URL): string | undefined {
  const header = event.req.headers.get('x-api-key');
  if (header) return header;
  const auth = event.req.headers.get('authorization');
  if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '');
  // EventSource cannot send headers, so the live stream alone also takes the key as a query parameter.
  if (url.pathname === '/events') return url.searchParams.get('apiKey') ?? undefined;
  return undefined;
}

/** Pages and assets of the dashboard carry no data; the page asks for the key and sends it on every API call. */
function isPublic(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  return path === '/health' || path === '/' || path === '/index.html' || path === '/favicon.ico' || path.startsWith('/assets/');
}

export function registerSecurity(app: H3, security: AdminSecurity): void {
  const origins = new Set(security.corsOrigins ?? []);
  app.use((event, next) => {
    const url = new URL(event.req.url);
    const hostHeader = event.req.headers.get('host');
    if (!isAllowedHost(hostHeader, security.host)) {
      throw new MockdError('forbidden_host', `Host ${JSON.stringify(hostHeader ?? '')} is not allowed`);
    }
    const origin = event.req.headers.get('origin');
    if (origin !== null) {
      const sameOrigin = origin === `${url.protocol}//${hostHeader}`;
      if (origins.has(origin)) {
        event.res.headers.set('Access-Control-Allow-Origin', origin);
        event.res.headers.set('Vary', 'Origin');
        if (event.req.method === 'OPTIONS') {
          return new Response(null, {
            status: 204,
            headers: {
              'Access-Control-Allow-Origin': origin,
              'Access-Control-Allow-Headers': ALLOWED_HEADERS,
              'Access-Control-Allow-Methods': ALLOWED_METHODS,
              'Access-Control-Max-Age': '600',
              Vary: 'Origin',
            },
          });
        }
      } else if (!sameOrigin) {
        // A page from another origin must not drive the admin API, not even with "simple" requests.
        throw new MockdError('forbidden_host', `Origin ${origin} is not allowed (see --cors-origins)`);
      }
    }
    if (security.apiKey && !isPublic(event.req.method, url.pathname)) {
      const key = presentedKey(event, url);
      if (key === undefined || key === '') return json(401, { error: 'missing_api_key', message: 'API key required' });
      if (!keysMatch(key, security.apiKey)) return json(401, { error: 'invalid_api_key', message: 'Invalid API key' });
    }
    return next();
  });
}
