// Resolvers for names that read the context: `request.*` (§3.3) and protocol extras such as MQTT's `topic` (§6).
// Each is built once at compile time, so a render does only the property reads.
import type { Resolver, TemplateContext, TemplateRequest } from './context.ts';
import { firstValue, readKey, walk } from './values.ts';

const unresolved: Resolver = () => undefined;

/** Compiles `request.<field>…`; `path` is the whole name, `path[0]` being `request` in any case. */
export function compileRequestLookup(path: readonly string[]): Resolver {
  const field = path[1]?.toLowerCase();
  // Query, header and path-parameter keys are one segment; any dots after the field belong to the key itself.
  const key = path.slice(2).join('.');
  const scalar = (read: (request: TemplateRequest) => unknown): Resolver =>
    path.length === 2 ? (ctx) => (ctx.request === undefined ? undefined : read(ctx.request)) : unresolved;
  switch (field) {
    case 'method':
      return scalar((r) => r.method);
    case 'path':
      return scalar((r) => r.path);
    case 'url':
      return scalar((r) => r.url);
    case 'rawbody':
      return scalar((r) => r.rawBody);
    case 'body':
      return compileBodyLookup(path);
    case 'query':
      return compileMapLookup(key, (r) => r.query, readKey);
    case 'header':
    case 'headers':
      return compileMapLookup(key, (r) => r.headers, readHeader);
    case 'tls':
      return compileMapLookup(key, (r) => r.tls as Record<string, unknown> | undefined, readKey);
    case 'pathparam':
    case 'pathparams':
    case 'params':
      return compileMapLookup(key, (r) => r.pathParams, readKey);
    default:
      return unresolved;
  }
}

/** Compiles a name that is not built in: the first segment names an `extra`, the rest walks into its value. */
export function compileExtraLookup(path: readonly string[]): Resolver {
  const root = path[0]!;
  if (path.length === 1) return (ctx) => readKey(ctx.extra, root);
  return (ctx) => walk(readKey(ctx.extra, root), path, 1);
}

function compileBodyLookup(path: readonly string[]): Resolver {
  // `request.body` alone is the whole body: its JSON, or the raw text when the body is not JSON.
  if (path.length === 2) {
    return (ctx) => {
      if (ctx.request === undefined) return undefined;
      const body = parsedBody(ctx.request);
      return body === undefined ? ctx.request.rawBody : body;
    };
  }
  return (ctx) => (ctx.request === undefined ? undefined : walk(parsedBody(ctx.request), path, 2));
}

type KeyReader = (record: unknown, key: string) => unknown;

function compileMapLookup(
  key: string,
  select: (request: TemplateRequest) => unknown,
  read: KeyReader,
): Resolver {
  if (key === '') return (ctx: TemplateContext) => (ctx.request === undefined ? undefined : select(ctx.request));
  return (ctx) => (ctx.request === undefined ? undefined : firstValue(read(select(ctx.request), key)));
}

/** Header names ignore case (RFC 9110 §5.1); Node already lowercases them, so try that spelling first. */
function readHeader(headers: unknown, name: string): unknown {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const lower = name.toLowerCase();
  if (Object.hasOwn(headers, lower)) return (headers as Record<string, unknown>)[lower];
  return readKey(headers, name);
}

// Bodies parsed on demand, one parse per request object (see TemplateRequest.body).
const NOT_JSON = Symbol('not JSON');
const parsedBodies = new WeakMap<TemplateRequest, unknown>();

function parsedBody(request: TemplateRequest): unknown {
  if (request.body !== undefined) return request.body;
  const raw = request.rawBody;
  if (raw === undefined || raw === '') return undefined;
  let parsed = parsedBodies.get(request);
  if (parsed === undefined) {
    try {
      parsed = JSON.parse(raw) as unknown;
    } catch {
      parsed = NOT_JSON;
    }
    parsedBodies.set(request, parsed);
  }
  return parsed === NOT_JSON ? undefined : parsed;
}
