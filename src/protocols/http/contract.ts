// Contract behaviour of an HTTP mock (issue 22), run inside the http worker and only for mocks that carry
// `http.validation` or `http.responses`: the request is checked against the operation's JSON Schemas (a failure is
// answered 400 with the JSON pointer and reason), and `Prefer: code=<status>` / `Prefer: example=<name>` (the
// header Prism popularised, RFC 7240 syntax) picks one of the documented responses instead of the default one.

import type { IncomingHttpHeaders } from 'node:http';
import type { ValidateFunction } from 'ajv';
import type { HttpValidation, Mock } from '../../mocks/types.ts';
import type { HttpMatch } from './matching/index.ts';
import { compileSchema, describeSchemaError } from '../../util/json-schema-validator.ts';

interface Validators {
  pathParams?: ValidateFunction;
  query?: ValidateFunction;
  headers?: ValidateFunction;
  body?: ValidateFunction;
  bodyRequired: boolean;
}

/** The 400 body of a request that breaks the contract. */
export interface ContractRejection {
  error: 'request_validation';
  message: string;
  pointer: string;
  reason: string;
}

const VALIDATORS = new WeakMap<HttpValidation, Validators>();
const ALTERNATIVES = new WeakMap<Mock, Mock[]>();

function validatorsOf(v: HttpValidation): Validators {
  let out = VALIDATORS.get(v);
  if (!out) {
    out = {
      pathParams: v.pathParams === undefined ? undefined : compileSchema(v.pathParams, true),
      query: v.query === undefined ? undefined : compileSchema(v.query, true),
      headers: v.headers === undefined ? undefined : compileSchema(v.headers, true),
      body: v.body === undefined ? undefined : compileSchema(v.body),
      bodyRequired: v.bodyRequired === true,
    };
    VALIDATORS.set(v, out);
  }
  return out;
}

function check(location: string, fn: ValidateFunction | undefined, value: unknown): ContractRejection | undefined {
  if (fn === undefined || fn(value)) return undefined;
  const { pointer, reason } = describeSchemaError(fn.errors![0]!, `/${location}`);
  return { error: 'request_validation', message: `request does not match the contract at ${pointer}: ${reason}`, pointer, reason };
}

function firstValues(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) if (!(k in out)) out[k] = v;
  return out;
}

/** Checks a matched request against `http.validation`; undefined when it passes. */
export function validateRequest(
  validation: HttpValidation,
  request: { headers: IncomingHttpHeaders; query: URLSearchParams; rawBody: string; pathParams: Record<string, string> },
): ContractRejection | undefined {
  const v = validatorsOf(validation);
  const problem =
    check('path', v.pathParams, { ...request.pathParams }) ??
    check('query', v.query, firstValues(request.query)) ??
    check('headers', v.headers, { ...request.headers });
  if (problem) return problem;
  if (request.rawBody === '') {
    if (!v.bodyRequired) return undefined;
    return { error: 'request_validation', message: 'request does not match the contract at /body: a body is required', pointer: '/body', reason: 'a body is required' };
  }
  if (v.body === undefined) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch (err) {
    const reason = `not JSON: ${(err as Error).message}`;
    return { error: 'request_validation', message: `request does not match the contract at /body: ${reason}`, pointer: '/body', reason };
  }
  return check('body', v.body, body);
}

/** `Prefer: code=404, example=notFound` → its preferences (RFC 7240 §2: comma-separated, `;` parameters ignored). */
function readPrefer(header: string): { code?: number; example?: string } {
  const out: { code?: number; example?: string } = {};
  for (const part of header.split(/[,;]/)) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (key === 'code' && /^\d{3}$/.test(value)) out.code = Number(value);
    else if (key === 'example') out.example = value;
  }
  return out;
}

/**
 * The match to answer with: the mock itself, or one of its `http.responses` as a mock of its own (id
 * `<mockId>#<index>`, so the responder compiles and caches each alternative once).
 */
export function preferredMatch(match: HttpMatch, prefer: string | string[] | undefined): HttpMatch {
  const alternatives = match.mock.http!.responses;
  if (alternatives === undefined || prefer === undefined) return match;
  const wanted = readPrefer(Array.isArray(prefer) ? prefer.join(',') : prefer);
  if (wanted.code === undefined && wanted.example === undefined) return match;
  const index = alternatives.findIndex(
    (a) => (wanted.code === undefined || a.statusCode === wanted.code) && (wanted.example === undefined || a.name === wanted.example),
  );
  if (index === -1) return match;
  let derived = ALTERNATIVES.get(match.mock);
  if (!derived) {
    derived = alternatives.map(({ name: _name, ...response }, i) => ({
      ...match.mock,
      id: `${match.mock.id}#${i}`,
      http: { ...match.mock.http!, response, responses: undefined },
    }));
    ALTERNATIVES.set(match.mock, derived);
  }
  return { ...match, mock: derived[index]! };
}
