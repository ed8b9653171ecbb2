// OpenAPI 3.0 / 3.1 and Swagger 2.0 → one HTTP mock per operation. @apidevtools/swagger-parser resolves `$ref`s
// (inside the file and to sibling files); the default answer is the lowest documented 2xx with its example, or a
// body generated from its schema; every documented response (each example of each status) is kept in
// `http.responses` for `Prefer`; with `validate`, the operation's parameters and body become `http.validation`.

import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ImportParseError, isObject } from './parse-text.ts';
import { toJsonSchema } from './json-schema.ts';
import { sampleOf } from './sample.ts';
import type { ImportedMock, Importer } from './types.ts';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Doc = Record<string, any>;

interface Response {
  name?: string;
  statusCode: number;
  headers?: Record<string, string>;
  body?: unknown;
}

function slugOf(method: string, path: string, operationId?: string): string {
  if (operationId) return operationId.replace(/[^A-Za-z0-9._-]+/g, '-');
  return `${method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '-')}`.replace(/-+$/, '');
}

/** The media type to answer with: JSON first, then any `+json`, then the first documented one. */
function pickMediaType(content: Record<string, any> | undefined): [string, any] | undefined {
  if (!isObject(content)) return undefined;
  const entries = Object.entries(content);
  return entries.find(([t]) => t === 'application/json') ?? entries.find(([t]) => /[/+]json\b/.test(t)) ?? entries[0];
}

function statusOf(code: string): number | undefined {
  if (code === 'default') return 500;
  if (/^[1-5]XX$/i.test(code)) return Number(code[0]) * 100;
  const n = Number(code);
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

function headerValues(headers: any, seed: number, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, h] of Object.entries<any>(headers ?? {})) {
    const schema = h?.schema ?? (h?.type ? h : undefined);
    const value = h?.example ?? schema?.example ?? (schema ? sampleOf(schema, seed, `${key}:${name}`) : undefined);
    if (value !== undefined) out[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

/** Every documented answer of one status: one per named example, else the single example or a generated body. */
function responsesOf(code: string, res: any, swagger2: boolean, produces: string[], seed: number, key: string, warn: (w: string) => void): Response[] {
  const statusCode = statusOf(code);
  if (statusCode === undefined) {
    warn(`${key}: response "${code}" is not a status code and was skipped`);
    return [];
  }
  const headers = headerValues(res?.headers, seed, `${key}:${code}`);
  let mediaType: string | undefined;
  let media: any;
  if (swagger2) {
    mediaType = produces.find((t) => /json/.test(t)) ?? produces[0] ?? (res?.schema ? 'application/json' : undefined);
    media = { schema: res?.schema, examples: undefined, example: res?.examples?.[mediaType ?? ''] ?? (res?.examples ? Object.values(res.examples)[0] : undefined) };
  } else {
    [mediaType, media] = pickMediaType(res?.content) ?? [undefined, undefined];
  }
  if (mediaType !== undefined) headers['Content-Type'] = mediaType;
  const base = { statusCode, ...(Object.keys(headers).length > 0 ? { headers } : {}) };
  if (!media) return [{ ...base, name: code }];
  if (mediaType && !/json/.test(mediaType) && !/^text\//.test(mediaType)) warn(`${key}: ${code} ${mediaType} bodies are generated as JSON`);
  if (isObject(media.examples) && Object.keys(media.examples).length > 0) {
    return Object.entries<any>(media.examples).map(([name, ex]) => {
      if (isObject(ex) && 'externalValue' in ex && !('value' in ex)) warn(`${key}: example "${name}" uses externalValue, which is not fetched`);
      return { ...base, name, body: isObject(ex) && 'value' in ex ? ex.value : ex };
    });
  }
  if (media.example !== undefined) return [{ ...base, name: code, body: media.example }];
  if (media.schema !== undefined) return [{ ...base, name: code, body: sampleOf(media.schema, seed, `${key}:${code}`) }];
  return [{ ...base, name: code }];
}

/** Path, query and header parameters as three object schemas; the body schema when it is JSON. */
function validationOf(op: any, pathItem: any, swagger2: boolean, key: string, warn: (w: string) => void): Record<string, unknown> | undefined {
  const groups: Record<string, { properties: Record<string, unknown>; required: string[] }> = {};
  const byKey = new Map<string, any>();
  for (const p of [...(pathItem.parameters ?? []), ...(op.parameters ?? [])]) byKey.set(`${p.in}:${p.name}`, p);
  let body: unknown;
  let bodyRequired = false;
  for (const p of byKey.values()) {
    if (p.in === 'body') {
      body = toJsonSchema(p.schema);
      bodyRequired = p.required === true;
      continue;
    }
    const where = p.in === 'path' ? 'pathParams' : p.in === 'query' ? 'query' : p.in === 'header' ? 'headers' : undefined;
    if (!where) {
      warn(`${key}: ${p.in} parameter "${p.name}" is not validated`);
      continue;
    }
    const name = where === 'headers' ? String(p.name).toLowerCase() : p.name;
    const { name: _n, in: _i, required: _r, description: _d, collectionFormat: _c, allowEmptyValue: _a, ...schema } = p;
    const g = (groups[where] ??= { properties: {}, required: [] });
    g.properties[name] = toJsonSchema(swagger2 ? schema : (p.schema ?? {}));
    if (p.required) g.required.push(name);
  }
  if (!swagger2 && isObject(op.requestBody)) {
    const [type, media] = pickMediaType(op.requestBody.content) ?? [];
    if (type && /json/.test(type) && media?.schema) body = toJsonSchema(media.schema);
    else if (type) warn(`${key}: ${type} request bodies are not validated`);
    bodyRequired = op.requestBody.required === true;
  }
  const out: Record<string, unknown> = {};
  for (const [where, g] of Object.entries(groups)) out[where] = { type: 'object', properties: g.properties, required: g.required };
  if (body !== undefined) out.body = body;
  if (bodyRequired) out.bodyRequired = true;
  return Object.keys(out).length > 0 ? out : undefined;
}

async function dereference(data: Doc, baseDir: string | undefined): Promise<Doc> {
  try {
    // The base path is what relative `$ref`s (`./schemas/pet.yaml`) resolve against.
    const base = join(baseDir ?? process.cwd(), 'openapi.yaml');
    return (await SwaggerParser.dereference(base, structuredClone(data) as never, { dereference: { circular: true } })) as Doc;
  } catch (err) {
    throw new ImportParseError(`cannot resolve the document: ${(err as Error).message}`);
  }
}

export const importOpenApi: Importer = async (source, data, options) => {
  const doc = await dereference(data as Doc, source.baseDir);
  const seed = options.seed ?? 1;
  const swagger2 = typeof doc.swagger === 'string';
  const warnings: string[] = [];
  const warn = (w: string) => warnings.push(w);
  const mocks: ImportedMock[] = [];
  if (swagger2 && doc.basePath && doc.basePath !== '/') warn(`basePath ${doc.basePath} is not prefixed: paths are served as written`);
  if (doc.securityDefinitions || doc.components?.securitySchemes) warn('security schemes are not enforced');
  if (doc.webhooks) warn('webhooks are not mocked');
  for (const [path, pathItem] of Object.entries<any>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = pathItem?.[method];
      if (!isObject(op)) continue;
      const key = `${method.toUpperCase()} ${path}`;
      if (op.callbacks) warn(`${key}: callbacks are not mocked`);
      const produces: string[] = op.produces ?? doc.produces ?? [];
      const codes = Object.keys(op.responses ?? {});
      const all = codes.flatMap((code) => responsesOf(code, op.responses[code], swagger2, produces, seed, key, warn));
      const success = all.filter((r) => r.statusCode >= 200 && r.statusCode < 300).sort((a, b) => a.statusCode - b.statusCode)[0];
      const main = success ?? all[0] ?? { statusCode: 200 };
      const { name: _name, ...response } = main;
      const http: Record<string, unknown> = {
        matcher: { method: method.toUpperCase(), path: path.startsWith('/') ? path : `/${path}` },
        response,
      };
      if (all.length > 0) http.responses = all;
      const validate = options.validate === true || op['x-mockd-validate'] === true;
      if (validate) {
        const validation = validationOf(op, pathItem, swagger2, key, warn);
        if (validation) http.validation = validation;
      }
      mocks.push({
        slug: slugOf(method, path, op.operationId),
        mock: { type: 'http', name: op.operationId ?? key, description: op.summary ?? op.description ?? '', http },
      });
    }
  }
  return { format: 'openapi', mocks, warnings };
};
