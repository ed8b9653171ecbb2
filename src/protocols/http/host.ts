// The http worker's host: owns the mock port and serves HTTP mocks, SSE streams and WebSocket upgrades on it
// (Node 20 cannot share a listening port between threads, so all three live here).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockdError } from '../../errors.ts';
import type { Mock } from '../../mocks/types.ts';
import { isSseMock } from '../../mocks/types.ts';
import type { HostFactory, HostOptions, ListenerInfo, MockRuntime, ProtocolHost } from '../host.ts';
import { HttpMockIndex, buildNoMatchBody } from './matching/index.ts';
import { hasNoBody, lingerOnRefusedBody, readBody } from './body.ts';
import { sendJson } from './respond.ts';
import { journal } from '../../journal/recorder.ts';
import { createHttpResponder, type HttpResponder } from './responder.ts';
import type { SseService, WebSocketService } from './services.ts';
import { createSseService } from '../sse/service.ts';
import { createWebSocketService } from '../websocket/service.ts';
import { preferredMatch, validateRequest } from './contract.ts';

/** Shared by every request without a query string; nothing writes to it. */
const NO_QUERY = new URLSearchParams();

export class HttpHost implements ProtocolHost {
  readonly #mocks = new Map<string, Mock>();
  /** Rebuilt lazily on the first request after a change, so a bulk load of n mocks builds it once, not n times. */
  #index: HttpMockIndex | undefined = new HttpMockIndex([]);
  #enabledCount = 0;
  readonly managers;

  private constructor(
    readonly server: Server,
    readonly sse: SseService,
    readonly websocket: WebSocketService,
    readonly responder: HttpResponder,
  ) {
    this.managers = [websocket.manager, sse.manager] as const;
  }

  static async create(options: HostOptions): Promise<HttpHost> {
    // Slowloris guard: a client must finish its headers within headersTimeoutMs and its whole request (body
    // included) within 60 s; Node checks these every connectionsCheckingInterval. Responses (SSE) are not bounded.
    const headersTimeout = options.headersTimeoutMs ?? 10_000;
    const server = createServer({
      keepAliveTimeout: 65_000,
      headersTimeout,
      requestTimeout: Math.max(60_000, headersTimeout),
      connectionsCheckingInterval: Math.min(1000, headersTimeout),
    });
    const host = new HttpHost(server, createSseService(options), createWebSocketService(options), createHttpResponder(options));
    server.on('request', (req, res) => host.#onRequest(req, res));
    server.on('upgrade', (req, socket, head) => host.websocket.handleUpgrade(req, socket, head));
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new MockdError('port_unavailable', `mock port ${options.port}: ${err.code ?? err.message}`)),
      );
      server.listen(options.port ?? 0, options.host, () => resolve());
    });
    return host;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get verbs() {
    return {
      ...this.websocket.verbs,
      /** The coordinator tells the http worker how many mocks are enabled in all, for `/__mockd/ready`. */
      setEnabledCount: (n: number) => {
        this.#enabledCount = n;
      },
    };
  }

  accepts(mock: Mock): boolean {
    return mock.type === 'http' || mock.type === 'websocket';
  }

  async apply(mock: Mock): Promise<MockRuntime> {
    const previous = this.#mocks.get(mock.id);
    this.responder.forget(mock.id);
    if (previous?.type === 'websocket' && mock.type !== 'websocket') await this.websocket.remove(mock.id);
    if (mock.type === 'websocket') await this.websocket.apply(mock);
    else this.responder.prepare(mock);
    this.#mocks.set(mock.id, mock);
    this.#rebuild();
    // The new version serves from here on; only then are the old version's streams ended, so a client that
    // reconnects meanwhile can never be handed the old definition. The close takes its list synchronously, so
    // streams opened on the new version are not in it.
    if (previous && isSseMock(previous)) await this.sse.closeMock(mock.id);
    return this.#runtime(mock);
  }

  async remove(mockId: string): Promise<void> {
    const previous = this.#mocks.get(mockId);
    if (!previous) return;
    this.#mocks.delete(mockId);
    this.#rebuild();
    if (previous.type === 'websocket') await this.websocket.remove(mockId);
    else await this.#closeConnectionsOf(previous);
  }

  async #closeConnectionsOf(mock: Mock): Promise<void> {
    if (isSseMock(mock)) await this.sse.closeMock(mock.id);
    this.responder.forget(mock.id);
  }

  #rebuild(): void {
    this.#index = undefined;
  }

  get #currentIndex(): HttpMockIndex {
    this.#index ??= new HttpMockIndex([...this.#mocks.values()].filter((m) => m.type === 'http'));
    return this.#index;
  }

  #runtime(mock: Mock): MockRuntime {
    if (mock.type === 'websocket') return { mockId: mock.id, kind: 'websocket', port: this.port, path: mock.websocket!.path, status: 'running' };
    const path = mock.http?.matcher.path ?? mock.http?.matcher.pathPattern ?? '';
    return { mockId: mock.id, kind: isSseMock(mock) ? 'sse' : 'http', port: this.port, path, status: 'running' };
  }

  runtimes(): MockRuntime[] {
    return [...this.#mocks.values()].map((m) => this.#runtime(m));
  }

  listeners(): ListenerInfo[] {
    return [{ port: this.port, protocol: 'http', component: 'mock-server', status: 'listening' }];
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let info: { method: string; path: string; query: URLSearchParams; body: string } | undefined;
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q === -1 ? url : url.slice(0, q);
      // Health routes always win over mocks (contract §1).
      if (path === '/__mockd/health') return sendJson(res, 200, { status: 'healthy', timestamp: new Date().toISOString() });
      if (path === '/__mockd/ready') {
        return sendJson(res, 200, { status: 'ready', checks: { mocks: { count: this.#enabledCount, status: 'ok' } } });
      }
      const method = req.method ?? 'GET';
      // Per-request allocations are kept down on purpose: this path runs tens of thousands of times a second.
      const query = q === -1 ? NO_QUERY : new URLSearchParams(url.slice(q + 1));
      const index = this.#currentIndex;
      // The body is read whenever the request has one (it is journaled and it makes near-miss reasons exact);
      // a request without one is not made to wait for a promise.
      const rawBody = hasNoBody(req) ? '' : (await readBody(req)).toString('utf8');
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
      if (isSseMock(match.mock)) return this.sse.serve(req, res, match.mock, match.pathParams, { method, path, url, query, rawBody });
      const spec = match.mock.http!;
      // Contract checks and `Prefer` run only for mocks that carry them (issue 22); others skip both tests.
      const rejection = spec.validation === undefined ? undefined : validateRequest(spec.validation, { headers: req.headers, query, rawBody, pathParams: match.pathParams });
      if (rejection) sendJson(res, 400, rejection);
      else {
        const answering = spec.responses === undefined ? match : preferredMatch(match, req.headers.prefer);
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
      if (e.code === 'body_too_large') lingerOnRefusedBody(req);
      sendJson(res, e.status, e.toBody());
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

  async close(): Promise<void> {
    await Promise.all([this.websocket.close(), this.sse.close(), this.responder.close()]);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

export const createHttpHost: HostFactory = (options) => HttpHost.create(options);
