// WireMock stub mappings → HTTP mocks: a mappings file (`{mappings: [...]}`, one mapping, or an array), or a WireMock
// root folder with `mappings/*.json` and `__files/` for `bodyFileName`. Request matching WireMock has and mockd has
// not (regex header values, JSONPath existence, transformers, faults, proxies, scenarios) is named in warnings.

import { readFile, readdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { isObject, parseStructured } from './parse-text.ts';
import { bodyOf, slugify, splitUrl } from './http-shapes.ts';
import type { ImportResult, ImportedMock, Importer } from './types.ts';

/** WireMock's priority 1 is the highest and 5 the default; mockd's higher number wins. */
function priorityOf(p: unknown, warn: (w: string) => void): number | undefined {
  if (typeof p !== 'number') return undefined;
  if (p < 1 || p > 10) warn(`priority ${p} is outside 1–10 and was clamped`);
  return Math.max(0, 10 - Math.min(10, Math.max(1, Math.round(p))));
}

function stringMatch(name: string, m: any, warn: (w: string) => void): string | undefined {
  if (!isObject(m)) return typeof m === 'string' ? m : undefined;
  if (typeof m.equalTo === 'string') return m.equalTo;
  if (typeof m.contains === 'string') return `*${m.contains}*`;
  warn(`${name}: matcher ${Object.keys(m).join(', ')} is not supported and was dropped`);
  return undefined;
}

async function readBodyFile(name: string, filesDir: string | undefined, warn: (w: string) => void): Promise<string | undefined> {
  if (!filesDir) {
    warn(`bodyFileName ${name}: no __files folder (import the WireMock root folder to include it)`);
    return undefined;
  }
  try {
    return await readFile(join(filesDir, name), 'utf8');
  } catch {
    warn(`bodyFileName ${name}: not found in __files`);
    return undefined;
  }
}

async function mappingToMock(m: any, i: number, filesDir: string | undefined, warnings: string[]): Promise<ImportedMock | undefined> {
  const label = m.name ?? m.id ?? m.uuid ?? `mappings[${i}]`;
  const warn = (w: string) => warnings.push(`${label}: ${w}`);
  const req = m.request ?? {};
  const res = m.response ?? {};
  const matcher: Record<string, unknown> = {};
  if (req.method && req.method !== 'ANY') matcher.method = req.method;
  if (typeof req.url === 'string') {
    const { path, query } = splitUrl(req.url);
    matcher.path = path;
    if (Object.keys(query).length > 0) matcher.queryParams = query;
  } else if (typeof req.urlPath === 'string') matcher.path = req.urlPath;
  else if (typeof req.urlPathPattern === 'string') matcher.pathPattern = `^${req.urlPathPattern}$`;
  else if (typeof req.urlPattern === 'string') {
    if (req.urlPattern.includes('?')) warn('urlPattern with a query part is matched against the path only');
    matcher.pathPattern = `^${req.urlPattern.split('\\?')[0]}$`;
  }
  if (typeof req.urlPathTemplate === 'string') matcher.path = req.urlPathTemplate;
  for (const [k, v] of Object.entries<any>(req.queryParameters ?? {})) {
    const value = isObject(v) && typeof v.equalTo === 'string' ? v.equalTo : undefined;
    if (value === undefined) warn(`query parameter ${k}: only equalTo is supported`);
    else ((matcher.queryParams ??= {}) as Record<string, string>)[k] = value;
  }
  for (const [k, v] of Object.entries<any>(req.headers ?? {})) {
    const value = stringMatch(`header ${k}`, v, warn);
    if (value !== undefined) ((matcher.headers ??= {}) as Record<string, string>)[k] = value;
  }
  for (const p of req.bodyPatterns ?? []) {
    if (p.equalToJson !== undefined) {
      const json = typeof p.equalToJson === 'string' ? JSON.parse(p.equalToJson) : p.equalToJson;
      if (isObject(json)) for (const [k, v] of Object.entries(json)) ((matcher.bodyJsonPath ??= {}) as Record<string, unknown>)[`$.${k}`] = v;
      else matcher.bodyEquals = JSON.stringify(json);
    } else if (typeof p.equalTo === 'string') matcher.bodyEquals = p.equalTo;
    else if (typeof p.contains === 'string') matcher.bodyContains = p.contains;
    else if (typeof p.matches === 'string') matcher.bodyPattern = p.matches;
    else warn(`body pattern ${Object.keys(p).join(', ')} is not supported and was dropped`);
  }
  for (const k of ['cookies', 'basicAuthCredentials', 'multipartPatterns', 'customMatcher']) if (req[k]) warn(`request.${k} is not supported and was dropped`);
  if (Object.keys(matcher).length === 0) matcher.pathPattern = '.*';
  const response: Record<string, unknown> = { statusCode: res.status ?? 200 };
  if (isObject(res.headers)) response.headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
  if (res.jsonBody !== undefined) response.body = res.jsonBody;
  else if (typeof res.body === 'string') response.body = res.body;
  else if (typeof res.bodyFileName === 'string') {
    const text = await readBodyFile(res.bodyFileName, filesDir, warn);
    if (text !== undefined) response.body = text;
  } else if (res.base64Body !== undefined) warn('base64Body is not supported and was dropped');
  if (typeof res.fixedDelayMilliseconds === 'number') response.delayMs = Math.min(30000, res.fixedDelayMilliseconds);
  for (const k of ['delayDistribution', 'chunkedDribbleDelay', 'fault', 'proxyBaseUrl', 'transformers']) if (res[k]) warn(`response.${k} is not supported and was dropped`);
  if (m.scenarioName) warn(`scenario ${m.scenarioName} (state ${m.requiredScenarioState ?? '-'}) is not supported: the mapping always answers`);
  if (m.postServeActions || m.serveEventListeners) warn('post-serve actions and webhooks are not supported');
  const http: Record<string, unknown> = { matcher, response };
  const priority = priorityOf(m.priority, warn);
  if (priority !== undefined) http.priority = priority;
  const mock: Record<string, unknown> = { type: 'http', name: m.name ?? '', http };
  return { slug: slugify(m.name ?? `${matcher.method ?? 'any'}-${matcher.path ?? 'pattern'}-${i + 1}`), mock };
}

async function fromMappings(list: unknown[], filesDir: string | undefined): Promise<ImportResult> {
  const warnings: string[] = [];
  const mocks: ImportedMock[] = [];
  for (const [i, m] of list.entries()) {
    const mock = await mappingToMock(m, i, filesDir, warnings);
    if (mock) mocks.push(mock);
  }
  return { format: 'wiremock', mocks, warnings };
}

function mappingsOf(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (isObject(data) && Array.isArray(data.mappings)) return data.mappings;
  return [data];
}

export const importWireMock: Importer = async (source, data) => {
  // A mappings file beside a `__files` folder (WireMock's layout) finds its body files there.
  const filesDir = source.baseDir ? resolve(source.baseDir, basename(source.baseDir) === 'mappings' ? '../__files' : '__files') : undefined;
  return fromMappings(mappingsOf(data), filesDir);
};

/** A WireMock root (`mappings/`, `__files/`) or its `mappings` folder itself. */
export async function importWireMockFolder(dir: string): Promise<ImportResult> {
  const root = basename(dir) === 'mappings' ? resolve(dir, '..') : dir;
  const mappingsDir = join(root, 'mappings');
  const list: unknown[] = [];
  for (const name of (await readdir(mappingsDir)).sort()) {
    if (!name.endsWith('.json')) continue;
    list.push(...mappingsOf(parseStructured(await readFile(join(mappingsDir, name), 'utf8'))));
  }
  return fromMappings(list, join(root, '__files'));
}
