// Producing a matched HTTP mock's response (contract §3.2–§3.4). Each mock version is compiled once into a
// ResponsePlan, cached here by mock id; `forget` drops it when the mock changes. A response that reads nothing of the
// request is written from precomputed bytes; others render their templates, run their script in the script pool,
// read their body file, then wait `delayMs` and write.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Mock } from '../../mocks/types.ts';
import type { HostOptions } from '../../contract/worker-api.ts';
import type { HttpMatch } from './matching/index.ts';
import { buildScriptInput, buildTemplateContext, type RequestInfo } from '../mock-port/request-context.ts';
import { isBodyless, mergeHeaders, writeResponse } from './respond.ts';
import { sendJson } from '../mock-port/send-json.ts';
import { compileResponsePlan, renderBody, renderHeaders, withContentType, type RenderedBody, type ResponsePlan } from './response-plan.ts';
import { HttpScriptPool, type ScriptOutcome } from './scripts/script-pool.ts';

export type { RequestInfo } from '../mock-port/request-context.ts';

const NO_BODY: RenderedBody = { data: '', isJson: false };

export interface HttpResponder {
  respond(req: IncomingMessage, res: ServerResponse, match: HttpMatch, info: RequestInfo): Promise<void> | undefined;
  /** Called when an http mock is registered: starts the script pool ahead of the first scripted request. */
  prepare(mock: Mock): void;
  forget(mockId: string): void;
  /** Stops pending delays and terminates the script pool. */
  close(): Promise<void>;
}

export function createHttpResponder(options: HostOptions): HttpResponder {
  return new HttpMockResponder(options.baseDir);
}

class HttpMockResponder implements HttpResponder {
  readonly #plans = new Map<string, ResponsePlan>();
  readonly #scripts = new HttpScriptPool();
  readonly #closing = new AbortController();

  constructor(private readonly baseDir: string) {}

  /** Answers a matched request; a fixed response without delay is written at once and returns no promise. */
  respond(req: IncomingMessage, res: ServerResponse, match: HttpMatch, info: RequestInfo): Promise<void> | undefined {
    const plan = this.#planOf(match.mock);
    const fixed = plan.fixed;
    if (fixed !== undefined && plan.delayMs === 0) {
      res.writeHead(plan.statusCode, fixed.headers);
      res.end(match.headFallback ? undefined : fixed.body);
      return undefined;
    }
    return this.#respondAsync(req, res, match, info, plan);
  }

  async #respondAsync(req: IncomingMessage, res: ServerResponse, match: HttpMatch, info: RequestInfo, plan: ResponsePlan): Promise<void> {
    const fixed = plan.fixed;
    if (fixed !== undefined) {
      if (!(await this.#delay(plan.delayMs))) return;
      res.writeHead(plan.statusCode, fixed.headers);
      res.end(match.headFallback ? undefined : fixed.body);
      return;
    }
    const ctx = buildTemplateContext(info, req.headers, match.pathParams);
    let statusCode = plan.statusCode;
    let headers = renderHeaders(plan, ctx);
    let body: RenderedBody | undefined;
    if (plan.script !== undefined) {
      const outcome = await this.#scripts.run({
        mockId: plan.mock.id,
        source: plan.script.source,
        input: buildScriptInput(info, req.headers, match.pathParams),
        timeoutMs: plan.script.timeoutMs,
      });
      if (outcome.kind !== 'result') return sendScriptFailure(res, outcome, plan.script.timeoutMs);
      // §3.4: statusCode overrides, headers merge over the mock's, a body replaces it; none of it is templated.
      statusCode = outcome.statusCode ?? statusCode;
      if (outcome.headers !== undefined) headers = mergeHeaders(headers, outcome.headers);
      if (outcome.body !== undefined) body = { data: outcome.body, isJson: outcome.bodyIsJson === true };
    }
    // The mock's own body is rendered only when the script did not replace it (templates such as sequence() count).
    body ??= await renderBody(plan.body, ctx);
    if (isBodyless(statusCode)) body = NO_BODY;
    headers = withContentType(headers, body);
    // §3.2: the delay comes after the body is produced and before the status line.
    if (plan.delayMs > 0 && !(await this.#delay(plan.delayMs))) return;
    writeResponse(res, { statusCode, headers, body: body.data }, !match.headFallback);
  }

  prepare(mock: Mock): void {
    if (mock.http?.response?.script !== undefined) this.#scripts.warm();
  }

  forget(mockId: string): void {
    this.#plans.delete(mockId);
    // `http.responses` alternatives are planned as `<mockId>#<i>` (protocols/http/contract.ts).
    for (const id of this.#plans.keys()) if (id.startsWith(`${mockId}#`)) this.#plans.delete(id);
  }

  async close(): Promise<void> {
    this.#closing.abort();
    this.#plans.clear();
    await this.#scripts.destroy();
  }

  #planOf(mock: Mock): ResponsePlan {
    const cached = this.#plans.get(mock.id);
    if (cached !== undefined && cached.mock === mock) return cached;
    const plan = compileResponsePlan(mock, this.baseDir);
    this.#plans.set(mock.id, plan);
    return plan;
  }

  /** Resolves false when the host is closing, so no response is written to a connection being torn down. */
  async #delay(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.#closing.signal });
      return true;
    } catch {
      return false;
    }
  }
}

// §3.4 error bodies. They are mockd's own diagnostics, not the mock's response, so `delayMs` does not apply.
function sendScriptFailure(res: ServerResponse, outcome: Exclude<ScriptOutcome, { kind: 'result' }>, timeoutMs: number): void {
  if (outcome.kind === 'timeout') {
    sendJson(res, 504, { error: 'script_timeout', message: `script exceeded ${timeoutMs} ms` });
  } else {
    sendJson(res, 500, { error: 'script_error', message: outcome.message });
  }
}
