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
import { applyHttpFaults } from './faults.ts';
import { isChaosEnabled } from '../faults/chaos-state.ts';
import { clientCertOf, tlsInfoOf, tlsTemplateViewOf } from '../tls/client-info.ts';
import type { ClientCertInfo, TlsInfo, TlsTemplateView } from '../../contract/tls.ts';

/** The journal's TLS mark of a request: `tls: true` and the client CN (README "TLS"); nothing for plain HTTP. */
function tlsMark(req: IncomingMessage): { tls?: TlsInfo } {
  const tls = tlsInfoOf(req.socket);
  return tls ? { tls } : {};
}
import { bytesWrittenSoFar, countHttpRequest } from './request-metrics.ts';
import { threadLog } from '../../util/logger.ts';
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
    let request:
      | { method: string; path: string; url: string; query: URLSearchParams; headers: IncomingMessage['headers']; rawBody: string; clientCert?: ClientCertInfo; tls?: TlsTemplateView }
      | undefined;
    const written = bytesWrittenSoFar(req);
    let deadline: WriteDeadline | undefined;
    let matchedId: string | undefined;
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
      // One object is what matching sees and what a response is built from (RequestInfo): one allocation, not three.
      request = { method, path, url, query, headers: req.headers, rawBody };
      // On the HTTPS port: the client certificate for `mtls` matchers, `request.tls.*` for templates (README "TLS").
      if ((req.socket as { encrypted?: boolean }).encrypted === true) {
        const clientCert = clientCertOf(req.socket);
        if (clientCert) request.clientCert = clientCert;
        request.tls = tlsTemplateViewOf(req.socket);
      }
      const match = index.match(request);
      if (!match) {
        const nearMisses = index.nearMisses(request);
        sendJson(res, 404, buildNoMatchBody(request, nearMisses), { 'X-Mockd-Near-Misses': String(nearMisses.length) });
        journal.http({ method, path, query, body: rawBody, headers: req.headers, statusCode: 404, durationMs: performance.now() - started, nearMisses, ...tlsMark(req) });
        countHttpRequest(req, undefined, 404, started, written);
        return;
      }
      // An SSE stream is journaled as an open and its events, not as an http entry (contract §12).
      if ((match.mock.faults !== undefined || isChaosEnabled()) && !isSseMock(match.mock)) {
        const outcome = await applyHttpFaults(req, res, match.mock, path);
        if (outcome !== 'respond') {
          // The request is journaled with the fault that broke or replaced its answer (statusCode 0: no answer).
          const fault = typeof outcome === 'object' ? outcome.fault : undefined;
          if (journal.enabled && (fault !== undefined || res.headersSent)) {
            const statusCode = fault === undefined || fault.startsWith('error-') ? res.statusCode : 0;
            journal.http({ method, path, query, body: rawBody, mockId: match.mock.id, headers: req.headers, statusCode, durationMs: performance.now() - started, ...(fault !== undefined && { fault }), ...tlsMark(req) });
          }
          countHttpRequest(req, match.mock.id, res.headersSent ? res.statusCode : 0, started, written);
          return;
        }
      }
      if (isSseMock(match.mock)) {
        deadline?.cancel();
        return this.sse.serve(req, res, match.mock, match.pathParams, request);
      }
      const spec = match.mock.http!;
      matchedId = match.mock.id;
      // A proxy mock journals the exchange itself, with both bodies (issue 21).
      if (spec.proxy !== undefined) {
        deadline?.cancel();
        const forwarded = { method, path, url, query, rawBody };
        await forwardHttp(req, res, match.mock, forwarded, bodyBytes ?? Buffer.alloc(0), (upstream, redact) =>
          this.sse.relay(req, res, match.mock, upstream, { path, redact }),
        );
        countHttpRequest(req, matchedId, res.statusCode, started, written);
        return;
      }
      // Contract checks and `Prefer` run only for mocks that carry them (imported contracts); others skip both tests.
      const rejection = spec.validation === undefined ? undefined : validateRequest(spec.validation, { headers: req.headers, query, rawBody, pathParams: match.pathParams });
      if (rejection) sendJson(res, 400, rejection);
      else {
        const answering = spec.sequence !== undefined ? nextInSequence(match) : spec.responses === undefined ? match : preferredMatch(match, req.headers.prefer);
        const responding = this.responder.respond(req, res, answering, request);
        if (responding) await responding;
      }
      if (journal.enabled) {
        journal.http({ method, path, query, body: rawBody, mockId: match.mock.id, headers: req.headers, statusCode: res.statusCode, durationMs: performance.now() - started, ...tlsMark(req) });
      }
      countHttpRequest(req, matchedId, res.statusCode, started, written);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const e = err instanceof MockdError ? err : new MockdError('internal_error', 'internal error');
      if (!(err instanceof MockdError)) threadLog().error({ err }, 'http request failed');
      // The client may still be sending the body: answer now, close once the rest is read (lingering close).
      if (e.code === 'body_too_large') sendJsonThenLinger(req, res, e.status, e.toBody());
      else sendJson(res, e.status, e.toBody());
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      journal.http({
        method: req.method ?? 'GET',
        path: q === -1 ? url : url.slice(0, q),
        query: request?.query ?? new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
        headers: req.headers,
        body: request?.rawBody ?? '',
        statusCode: e.status,
        durationMs: performance.now() - started,
      });
      countHttpRequest(req, matchedId, e.status, started, written);
    }
  }

  close(): Promise<void> {
    return this.responder.close();
  }
}

export const createHttpService: HttpServiceFactory = (options, sse) => new HttpMockService(createHttpResponder(options), sse, options.writeTimeoutMs ?? 0);
