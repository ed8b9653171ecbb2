// The http worker's host: owns the mock port and composes the services that share it (contract §1): plain HTTP
// mocks, SSE streams and WebSocket upgrades. workers/http.ts hands in their factories, so this file knows their
// interfaces only. All three live in one worker; several such workers share the port on Node >= 22.12 (README "Workers").

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import type { Duplex } from 'node:stream';
import type { TlsMaterial } from '../../contract/tls.ts';
import { swapCertificate } from '../tls/secure-context.ts';
import { listenSecure, type SecureMockPort } from './secure-port.ts';
import type { AddressInfo } from 'node:net';
import { MockdError } from '../../errors.ts';
import { isSseMock, type Mock } from '../../mocks/types.ts';
import type { HostOptions, ListenerInfo, MockPlacement, MockRuntime } from '../../contract/worker-api.ts';
import type { HostFactory, ProtocolHost } from '../host.ts';
import { listenOn } from '../shared-port.ts';
import { sendJson } from './send-json.ts';
import { sendMetrics } from './metrics-route.ts';
import type { HttpService, MockPortServices, SseService, WebSocketService } from './services.ts';

class MockPortHost implements ProtocolHost {
  /** Every registered mock (http and websocket), to know what a change replaces. */
  readonly #mocks = new Map<string, Mock>();
  #enabledCount = 0;
  readonly managers;

  /** The HTTPS port (`--https-port`): the same handlers over TLS, HTTP/2 by ALPN for plain HTTP mocks. */
  secure?: SecureMockPort;

  constructor(
    readonly server: Server,
    readonly http: HttpService,
    readonly sse: SseService,
    readonly websocket: WebSocketService,
  ) {
    this.managers = [websocket.manager, sse.manager] as const;
    this.#serve(server);
  }

  /** Attaches the mock port's handlers to `server` (the plain one, or the HTTPS one). */
  #serve(server: Server | Http2SecureServer): void {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '/';
      // Health routes always win over mocks (contract §1); other requests skip the path split here.
      if (url.startsWith('/__mockd/')) {
        const q = url.indexOf('?');
        const path = q === -1 ? url : url.slice(0, q);
        if (path === '/__mockd/health') return sendJson(res, 200, { status: 'healthy', timestamp: new Date().toISOString() });
        if (path === '/__mockd/metrics') return sendMetrics(res);
        if (path === '/__mockd/ready') {
          return sendJson(res, 200, { status: 'ready', checks: { mocks: { count: this.#enabledCount, status: 'ok' } } });
        }
      }
      void this.http.handle(req, res);
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.websocket.handleUpgrade(req, socket, head));
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      else socket.destroy();
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Serves the same mocks on `secure` too; its connections are the same ConnectionManagers' (README "TLS"). */
  attachSecure(secure: SecureMockPort): void {
    this.secure = secure;
    this.#serve(secure.server);
  }

  reloadTls(material: TlsMaterial): void {
    if (this.secure) swapCertificate(this.secure.server, material);
  }

  setEnabledCount(count: number): void {
    this.#enabledCount = count;
  }

  accepts(mock: Mock): boolean {
    return mock.type === 'http' || mock.type === 'websocket';
  }

  async apply(mock: Mock, placement?: MockPlacement): Promise<MockRuntime> {
    const previous = this.#mocks.get(mock.id);
    if (mock.type === 'websocket') {
      this.http.remove(mock.id);
      await this.websocket.apply(mock, placement?.capSlot);
    } else {
      if (previous?.type === 'websocket') await this.websocket.remove(mock.id);
      this.http.apply(mock);
    }
    this.#mocks.set(mock.id, mock);
    // The new version serves from here on; only then are the old version's streams ended, so a client that
    // reconnects meanwhile can never be handed the old definition. The close takes its list synchronously, so
    // streams opened on the new version are not in it.
    if (previous && hasStreams(previous)) await this.sse.changeMock(previous, mock);
    return this.#runtime(mock);
  }

  async remove(mockId: string): Promise<void> {
    const previous = this.#mocks.get(mockId);
    if (!previous) return;
    this.#mocks.delete(mockId);
    if (previous.type === 'websocket') return this.websocket.remove(mockId);
    this.http.remove(mockId);
    if (hasStreams(previous)) await this.sse.changeMock(previous, undefined);
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
    const out: ListenerInfo[] = [{ port: this.port, protocol: 'http', component: 'mock-server', status: 'listening' }];
    if (this.secure) out.push({ port: this.secure.port, protocol: 'https', component: 'mock-server', status: 'listening', tls: true });
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([this.websocket.close(), this.sse.close(), this.http.close()]);
    await Promise.all([
      new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      }),
      this.secure?.close(),
    ]);
  }
}

/** The mock-port host with the services `services` builds; it listens once the promise resolves. */
export function createMockPortHost(services: MockPortServices): HostFactory {
  return async (options: HostOptions) => {
    // Slowloris guard: a client must finish its headers within headersTimeoutMs and its whole request (body
    // included) within 60 s; Node checks these every connectionsCheckingInterval. Responses (SSE) are not bounded.
    // `--read-timeout` replaces the 60 s; Node refuses a headers timeout longer than the request timeout.
    const requestTimeout = options.requestTimeoutMs ?? Math.max(60_000, options.headersTimeoutMs ?? 10_000);
    const headersTimeout = Math.min(options.headersTimeoutMs ?? 10_000, requestTimeout);
    const server = createServer({
      keepAliveTimeout: 65_000,
      headersTimeout,
      requestTimeout,
      connectionsCheckingInterval: Math.min(1000, headersTimeout),
    });
    const sse = services.sse(options);
    const host = new MockPortHost(server, services.http(options, sse), sse, services.websocket(options));
    // With a pool, every member binds the mock port with reusePort (README "Workers"); alone, a plain bind.
    await listenOn(server, options.host, options.port ?? 0, options.portShare).catch((err: NodeJS.ErrnoException) => {
      throw new MockdError('port_unavailable', `mock port ${options.port}: ${err.code ?? err.message}`);
    });
    if (options.httpsPort !== undefined) {
      if (!options.tls) throw new MockdError('internal_error', '--https-port needs a certificate (--tls-cert/--tls-key or --tls-auto)');
      try {
        host.attachSecure(await listenSecure(options.tls, options.host, options.httpsPort, options.httpsPortShare));
      } catch (err) {
        server.close();
        throw err;
      }
    }
    return host;
  };
}

/** SSE mocks, and proxy mocks whose upstream may answer with an event stream (issue 21), have streams to end. */
function hasStreams(mock: Mock): boolean {
  return isSseMock(mock) || mock.http?.proxy !== undefined;
}
