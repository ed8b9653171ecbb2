// What matching sees of a request, with the derived values (decoded segments, parsed JSON body) computed at most once
// however many mocks look at them.

import type { ClientCertInfo } from '../../../contract/tls.ts';

export type HeaderBag = Record<string, string | string[] | undefined>;
export type QueryBag = URLSearchParams | Record<string, string | string[] | undefined>;

export interface HttpMatchRequest {
  method: string;
  /** The path without the query, as sent (percent-encoded). */
  path: string;
  query: QueryBag;
  /** Lowercase names, as node's IncomingHttpHeaders. */
  headers: HeaderBag;
  /** The raw body; leave it out when `needsBody` said no. Absent reads as the empty body. */
  rawBody?: string;
  /** The client certificate of an HTTPS request (README "TLS"); absent without TLS or without a certificate. */
  clientCert?: ClientCertInfo;
}

const UNPARSED = Symbol('unparsed');
const INVALID_JSON = Symbol('invalid JSON');

export class RequestView {
  readonly method: string;
  private segmentsCache: string[] | undefined;
  private decodedPathCache: string | undefined;
  private jsonCache: unknown = UNPARSED;

  constructor(
    readonly request: HttpMatchRequest,
    method: string = request.method,
  ) {
    this.method = method.toUpperCase();
  }

  /** The same request seen with another method (the HEAD → GET retry of contract §3.1), sharing computed values. */
  withMethod(method: string): RequestView {
    const view = new RequestView(this.request, method);
    view.segmentsCache = this.segmentsCache;
    view.decodedPathCache = this.decodedPathCache;
    view.jsonCache = this.jsonCache;
    return view;
  }

  get path(): string {
    return this.request.path;
  }

  get decodedPath(): string {
    return (this.decodedPathCache ??= safeDecode(this.request.path));
  }

  /** URL-decoded segments, leading and trailing `/` ignored: `/a/b%20c/` → `['a', 'b c']`. */
  get segments(): string[] {
    if (this.segmentsCache) return this.segmentsCache;
    const parts = splitPath(this.request.path);
    // Without a `%` no segment changes when decoded: the split itself is the answer, with no second array.
    this.segmentsCache = this.request.path.includes('%') ? parts.map(safeDecode) : parts;
    return this.segmentsCache;
  }

  get body(): string {
    return this.request.rawBody ?? '';
  }

  /** The parsed body, or undefined when it is not JSON. */
  get json(): { value: unknown } | undefined {
    if (this.jsonCache === UNPARSED) {
      try {
        this.jsonCache = JSON.parse(this.body);
      } catch {
        this.jsonCache = INVALID_JSON;
      }
    }
    return this.jsonCache === INVALID_JSON ? undefined : { value: this.jsonCache };
  }

  /** The header value, repeated values joined by `, ` as HTTP allows; `lowerName` must be lowercase. */
  header(lowerName: string): string | undefined {
    const value = this.request.headers[lowerName];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  /** The first value of a query parameter (contract §3.1 `queryParams`). */
  query(name: string): string | undefined {
    const query = this.request.query;
    if (query instanceof URLSearchParams) return query.get(name) ?? undefined;
    const value = query[name];
    return Array.isArray(value) ? value[0] : value;
  }
}

/** Path segments with one leading and one trailing `/` ignored; `/` gives none. */
export function splitPath(path: string): string[] {
  const start = path.startsWith('/') ? 1 : 0;
  const end = path.length > start && path.endsWith('/') ? path.length - 1 : path.length;
  return start >= end ? [] : path.slice(start, end).split('/');
}

/** decodeURIComponent that leaves malformed escapes (`%E0%A4%A`, a bare `%`) as they are. */
export function safeDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
