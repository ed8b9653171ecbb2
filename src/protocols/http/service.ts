// Plain HTTP mocks on the mock port (contract §3): scored matching over an index of the enabled http mocks,
// near-miss 404s, responses from compiled plans, and one journal entry per request. A request matched to an SSE mock
// is handed to the SSE service (contract §4).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { MockdError } from '../../errors.ts';
import { isSseMock, type Mock } from '../../mocks/types.ts';
import { journal } from '../../journal/recorder.ts';
import type { HttpService, HttpServiceFactory, SseService } from '../mock-port/services.ts';
import { sendJson } from '../mock-port/send-json.ts';
import { HttpMockIndex, buildNoMatchBody } from './matching/index.ts';
import { hasNoBody, readBody } from './body.ts';
import { sendJsonThenLinger } from '../../util/lingering-close.ts';
import { createHttpResponder, type HttpResponder } from './responder.ts';
import { armWriteDeadline, type WriteDeadline } from './write-deadline.ts';
import { preferredMatch, validateRequest } from './contract.ts';
import { nextInSequence } from './sequence.ts';
import { forwardHttp } from './proxy.ts';

/** Shared by every request without a query string; nothing writes to it. */
const NO_QUERY = new URLSearchParams();

class HttpMockService implements HttpService {
  readonly #mocks = new Map<string, Mock>();
  /** Rebuilt lazily on the first request after a change, so a bulk load of n mocks builds it once, not n times. */
  #index: HttpMockIndex | undefined = new HttpMockIndex([]);

  constructor(
    private readonly responder: HttpResponder,
    private readonly sse: SseService,
    /** `--write-timeout` (0 = none). */
    private readonly writeTimeoutMs: number,
  ) {}

  apply(mock: Mock): void {
    this.responder.forget(mock.id);
    this.responder.prepare(mock);
    this.#mocks.set(mock.id, mock);
    this.#index = undefined;
  }

  remove(mockId: string): void {
    this.responder.forget(mockId);
    if (this.#mocks.delete(mockId)) this.#index = undefined;
  }

  get #currentIndex(): HttpMockIndex {
    this.#index ??= new HttpMockIndex([...this.#mocks.values()]);
    return this.#index;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let info: { method: string; path: string; query: URLSearchParams; body: string } | undefined;
    let deadline: WriteDeadline | undefined;
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      const method = req.method ?? 'GET';
      // Per-request allocations are kept down on purpose: this path runs tens of thousands of times a second.
      const query = q === -1 ? NO_QUERY : new URLSearchParams(url.slice(q + 1));
      const index = this.#currentIndex;
      deadline = this.writeTimeoutMs > 0 ? armWriteDeadline(res, this.writeTimeoutMs) : undefined;
      // The body is read whenever the request has one (it is journaled and it makes near-miss reasons exact);
      // a request without one is not made to wait for a promise.
      const bodyBytes = hasNoBody(req) ? undefined : await readBody(req);
      const rawBody = bodyBytes === undefined ? '' : bodyBytes.toString('utf8');
      info = { method, path, query, body: rawBody };
      const request = { method, path, query, headers: req.headers, rawBody };
      const match = index.match(request);
      if (!match) {
        const nearMisses = index.nearMisses(request);
        sendJson(res, 404, buildNoMatchBody(request, nearMisses), { 'X-Mockd-Near-Misses': String(nearMisses.length) });
        journal.http({ ...info, headers: req.headers, statusCode: 404, durationMs: performance.now() - started, nearMisses });
        return;
      }
      // An SSE stream is journaled as an open and its events, not as an http entry (contract §12).
      if (isSseMock(match.mock)) {
        deadline?.cancel();
        return this.sse.serve(req, res, match.mock, match.pathParams, { method, path, url, query, rawBody });
      }
      const spec = match.mock.http!;
      // A proxy mock journals the exchange itself, with both bodies (issue 21).
      if (spec.proxy !== undefined) {
        deadline?.cancel();
        const forwarded = { method, path, url, query, rawBody };
        return await forwardHttp(req, res, match.mock, forwarded, bodyBytes ?? Buffer.alloc(0), (upstream, redact) =>
          this.sse.relay(req, res, match.mock, upstream, { path, redact }),
        );
      }
      // Contract checks and `Prefer` run only for mocks that carry them (imported contracts); others skip both tests.
      const rejection = spec.validation === undefined ? undefined : validateRequest(spec.validation, { headers: req.headers, query, rawBody, pathParams: match.pathParams });
      if (rejection) sendJson(res, 400, rejection);
      else {
        const answering = spec.sequence !== undefined ? nextInSequence(match) : spec.responses === undefined ? match : preferredMatch(match, req.headers.prefer);
        const responding = this.responder.respond(req, res, answering, { method, path, url, query, rawBody });
        if (responding) await responding;
      }
      if (journal.enabled) {
        journal.http({ method, path, query, body: rawBody, mockId: match.mock.id, headers: req.headers, statusCode: res.statusCode, durationMs: performance.now() - started });
      }
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const e = err instanceof MockdError ? err : new MockdError('internal_error', 'internal error');
      if (!(err instanceof MockdError)) console.error('mockd http worker:', err);
      // The client may still be sending the body: answer now, close once the rest is read (lingering close).
      if (e.code === 'body_too_large') sendJsonThenLinger(req, res, e.status, e.toBody());
      else sendJson(res, e.status, e.toBody());
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      journal.http({
        method: req.method ?? 'GET',
        path: q === -1 ? url : url.slice(0, q),
        query: info?.query ?? new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
        headers: req.headers,
        body: info?.body ?? '',
        statusCode: e.status,
        durationMs: performance.now() - started,
      });
    }
  }

  close(): Promise<void> {
    return this.responder.close();
  }
}

export const createHttpService: HttpServiceFactory = (options, sse) => new HttpMockService(createHttpResponder(options), sse, options.writeTimeoutMs ?? 0);
