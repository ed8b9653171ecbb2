// Small helpers the peer-format importers share to build HTTP mocks: splitting a URL into path and query, turning
// `:id` path segments into `{id}`, and turning a response body into the mock's body.

/** `https://host/a/b?x=1` or `/a/b?x=1` → path `/a/b` and its first query values. */
export function splitUrl(raw: string): { path: string; query: Record<string, string> } {
  let rest = raw.trim();
  const schemeEnd = rest.indexOf('://');
  if (schemeEnd !== -1) {
    const slash = rest.indexOf('/', schemeEnd + 3);
    rest = slash === -1 ? '/' : rest.slice(slash);
  }
  const hash = rest.indexOf('#');
  if (hash !== -1) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const path = q === -1 ? rest : rest.slice(0, q);
  const query: Record<string, string> = {};
  if (q !== -1) for (const [k, v] of new URLSearchParams(rest.slice(q + 1))) if (!(k in query)) query[k] = v;
  return { path: path.startsWith('/') ? path || '/' : `/${path}`, query };
}

/** Express-style `:id` segments (Postman, Mockoon) → mockd `{id}`. */
export function colonParams(path: string): string {
  return path.replace(/(^|\/):([A-Za-z_][A-Za-z0-9_]*)/g, '$1{$2}');
}

/** JSON text stays a JSON value (so it is sent compact with a JSON Content-Type); anything else is a string. */
export function bodyOf(text: string | undefined, mimeType?: string): unknown {
  if (text === undefined || text === '') return undefined;
  if (mimeType === undefined || /json/i.test(mimeType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export function headerMap(list: { key?: string; name?: string; value?: string; disabled?: boolean }[] | undefined, skip: readonly string[] = []): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const h of list ?? []) {
    const name = h.key ?? h.name;
    if (!name || h.disabled || h.value === undefined || skip.includes(name.toLowerCase())) continue;
    out[name] = String(h.value);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Headers a recorded response carries that must not be replayed as they are (the server sets its own). */
export const HOP_BY_HOP = ['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-encoding', 'date'];

export function slugify(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'mock';
}
