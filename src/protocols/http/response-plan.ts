import { isUtf8 } from 'node:buffer';
// A mock's response compiled once per mock version (contract §3.2): header templates, the body template, Content-Type
// when it can be known up front, and for a response that reads nothing of the request, the finished bytes.

import type { OutgoingHttpHeaders } from 'node:http';
import type { HttpResponse, Mock } from '../../mocks/types.ts';
import { compileJsonTemplate, compileTemplate, type JsonTemplate, type Template, type TemplateContext } from '../../templating/index.ts';
import { BodyFile } from './body-file.ts';
import { contentTypeOfText, finalHeaders, hasHeader, isBodyless, sanitizeHeaderValue } from './respond.ts';

/** §3.4: 1000 ms unless the mock says otherwise. */
export const DEFAULT_SCRIPT_TIMEOUT_MS = 1000;

export type BodyPlan =
  | { kind: 'none' }
  | { kind: 'text'; template: Template }
  | { kind: 'json'; template: JsonTemplate }
  | { kind: 'file'; file: BodyFile };

/** A body ready to send; `isJson` when it is a JSON value's encoding (so Content-Type is JSON whatever it starts with). */
export interface RenderedBody {
  data: string | Buffer;
  isJson: boolean;
}

export interface ResponsePlan {
  /** The version this plan was compiled from: a plan is reused only for this very object. */
  readonly mock: Mock;
  readonly statusCode: number;
  readonly delayMs: number;
  /** Set when nothing depends on the request: headers (Content-Type and Content-Length included) and body bytes. */
  readonly fixed?: { headers: OutgoingHttpHeaders; body: string | Buffer };
  readonly headers: readonly (readonly [string, Template])[];
  readonly body: BodyPlan;
  readonly script?: { source: string; timeoutMs: number };
}

export function compileResponsePlan(mock: Mock, baseDir: string): ResponsePlan {
  const response: HttpResponse = mock.http!.response!;
  const headers = Object.entries(response.headers ?? {}).map(([name, value]) => [name, compileTemplate(value)] as const);
  // RFC 9110 §15.3.5, §15.4.5: a 1xx, 204 or 304 carries no content, so a body given with one is never sent.
  const body = isBodyless(response.statusCode) && response.script === undefined ? NONE : compileBody(response, baseDir);
  const plan: ResponsePlan = {
    mock,
    statusCode: response.statusCode,
    delayMs: response.delayMs ?? 0,
    headers,
    body,
    script: response.script === undefined ? undefined : { source: response.script, timeoutMs: response.scriptTimeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS },
  };
  return isFixed(plan) ? { ...plan, fixed: precompute(plan) } : plan;
}

const NONE: BodyPlan = { kind: 'none' };

function compileBody(response: HttpResponse, baseDir: string): BodyPlan {
  if (response.bodyFile !== undefined) return { kind: 'file', file: BodyFile.resolve(baseDir, response.bodyFile) };
  if (response.body === undefined) return NONE;
  // §3.2: a string body is one template; any other JSON value has its string values templated, then goes out compact.
  if (typeof response.body === 'string') return { kind: 'text', template: compileTemplate(response.body) };
  return { kind: 'json', template: compileJsonTemplate(response.body) };
}

function isFixed(plan: ResponsePlan): boolean {
  if (plan.script !== undefined || !plan.headers.every(([, t]) => t.isStatic)) return false;
  return plan.body.kind === 'none' || (plan.body.kind !== 'file' && plan.body.template.isStatic);
}

function precompute(plan: ResponsePlan): { headers: OutgoingHttpHeaders; body: string | Buffer } {
  const body = renderBody(plan.body, {});
  if (body instanceof Promise) throw new Error('a file body is never fixed');
  const headers = withContentType(renderHeaders(plan, {}), body);
  const bytes = Buffer.from(body.data);
  // Text is kept as a string: node:http then sends the head and the body in one write() instead of a writev() of
  // two buffers, which is measurably cheaper per request.
  return { headers: finalHeaders({ statusCode: plan.statusCode, headers, body: bytes }), body: isUtf8(bytes) ? bytes.toString('utf8') : bytes };
}

/** The mock's headers for one request, each value templated (§3.2) and cleaned of characters HTTP cannot carry. */
export function renderHeaders(plan: ResponsePlan, ctx: TemplateContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, template] of plan.headers) out[name] = sanitizeHeaderValue(template.render(ctx));
  return out;
}

/** The mock's body for one request; a file body is read, hence the promise. */
export function renderBody(body: BodyPlan, ctx: TemplateContext): RenderedBody | Promise<RenderedBody> {
  switch (body.kind) {
    case 'none':
      return { data: '', isJson: false };
    case 'text':
      return { data: body.template.render(ctx), isJson: false };
    case 'json':
      return { data: body.template.renderJson(ctx), isJson: true };
    case 'file':
      return body.file.render(ctx).then((data) => ({ data, isJson: false }));
  }
}

/** Adds the §3.2 Content-Type unless the headers name one already (the mock's own always wins). */
export function withContentType(headers: Record<string, string>, body: RenderedBody): Record<string, string> {
  if (body.data.length === 0 || hasHeader(headers, 'content-type')) return headers;
  const type = body.isJson ? 'application/json' : contentTypeOfText(body.data);
  if (type !== undefined) headers['Content-Type'] = type;
  return headers;
}
