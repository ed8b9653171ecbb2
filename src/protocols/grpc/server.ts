// One grpc-js Server for one gRPC mock's port, built at runtime from its protos (contract §7). Every service in the
// protos is registered, so a method the mock does not list answers UNIMPLEMENTED (grpc-js itself answers
// UNIMPLEMENTED for services that are not in the protos). Created ready by `startGrpcServer`, or not at all.

import net from 'node:net';
import { Server, ServerCredentials, logVerbosity, setLogVerbosity, type ChannelOptions, type UntypedHandleCall } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { MockdError } from '../../errors.ts';
import { journal } from '../../journal/recorder.ts';
import { metrics } from '../../metrics/collector.ts';
import type { GrpcSpec } from '../../mocks/types.ts';
import type { CloseReason } from '../../contract/protocols.ts';
import type { PortShare } from '../../contract/worker-api.ts';
import { liveCounter, mockCounter } from '../pool-counts.ts';
import { listenOn } from '../shared-port.ts';
import { Server as TlsServer } from 'node:tls';
import type { ResolvedMockTls } from '../tls/mock-tls.ts';
import { TlsPeers, createGrpcTlsServer } from './tls-listener.ts';
import type { CallHandle, ServerCallLike } from './call-handle.ts';
import { journalUnlistedCall } from './journal.ts';
import type { GrpcConnectionManager } from './manager.ts';
import type { AnyMethodDefinition, LoadedProtos } from './proto.ts';
import { GRPC_STATUS } from './status-codes.ts';
import { StreamLimit } from './stream-limit.ts';
import { GrpcMethodTable } from './method-table.ts';
import { createProxyHandler, createUpstreamClient } from './proxy.ts';
import type { Client, ServiceDefinition } from '@grpc/grpc-js';
import { compileMethodPlan } from './method-plan.ts';
import { createMethodContext } from './method-context.ts';
import { streamTypeOf } from './journal.ts';

// grpc-js prints its own errors to stderr (`E No address added out of total 1 resolved` when a port is taken).
// mockd reports those itself (the admin answer, the mock's `error` in /handlers and /ports), so grpc-js stays quiet
// unless the user asks for its logs with GRPC_VERBOSITY.
if (process.env.GRPC_VERBOSITY === undefined) setLogVerbosity(logVerbosity.NONE);

export interface GrpcServerOptions {
  mockId: string;
  spec: GrpcSpec;
  protos: LoadedProtos;
  host: string;
  /** 0 picks a free port. */
  port: number;
  manager: GrpcConnectionManager;
  /** `--max-connections`: streams across every server of the worker pool (0 or unset = unlimited). */
  maxStreams?: number;
  /** The mock version's slot in the pool counters, for its `maxConnections`. */
  capSlot?: number;
  /** Set when several pool members serve this port (see listenShared). */
  portShare?: PortShare;
  /** `grpc.tls` resolved to PEM text: the server speaks TLS (README "TLS"). */
  tls?: ResolvedMockTls;
}

/** How long a graceful shutdown may take after the goodbyes before connections are dropped. */
const SHUTDOWN_GRACE_MS = 1000;

export class GrpcMockServer {
  readonly #server: Server;
  readonly #manager: GrpcConnectionManager;
  readonly #inflight: Set<CallHandle>;
  #closing?: Promise<void>;

  constructor(
    readonly mockId: string,
    readonly port: number,
    server: Server,
    manager: GrpcConnectionManager,
    inflight: Set<CallHandle>,
    /** The served methods; a change that keeps the server swaps their handlers (README "Mock changes"). */
    readonly methods: GrpcMethodTable | undefined,
    /** The shared-port listener that feeds the server, when the port is served by several pool members. */
    private readonly listener?: SharedListener,
    /** A proxy mock's client to its upstream (issue 21), closed with the server. */
    private readonly upstream?: Client,
  ) {
    this.#server = server;
    this.#manager = manager;
    this.#inflight = inflight;
  }

  /**
   * Ends every call with UNAVAILABLE for `reason` (streams through the manager, so they are counted and reported),
   * then shuts the server down. Goodbyes go first: a forced shutdown alone would give clients CANCELLED. Only this
   * server's calls are ended: during a port change the mock's new server is already taking calls.
   */
  /** The server speaks TLS. */
  get tls(): boolean {
    return this.listener?.server instanceof TlsServer;
  }

  /** New handshakes use `next`; live connections keep theirs. */
  swapCertificate(next: { cert: string; key: string }): void {
    if (this.listener?.server instanceof TlsServer) this.listener.server.setSecureContext({ cert: next.cert, key: next.key });
  }

  close(reason: CloseReason): Promise<void> {
    this.#closing ??= (async () => {
      const calls = [...this.#inflight];
      await Promise.all(calls.map((h) => (h.streamId === undefined ? h.goodbye(reason) : this.#manager.close(h.streamId, reason))));
      this.listener?.server.close();
      await shutDown(this.#server);
      // Injected connections are the listener's sockets: give the goodbyes' trailers time to leave before the
      // thread may be ended (shutdown), as tryShutdown does for the connections of a bound port.
      if (this.listener) await closedWithin([...this.listener.sockets], SHUTDOWN_GRACE_MS);
      this.upstream?.close();
    })();
    return this.#closing;
  }
}

export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcMockServer> {
  const server = new Server(serverOptionsOf(options.spec));
  const inflight = new Set<CallHandle>();
  const perMock = options.spec.maxConnections ?? 0;
  const streams = new StreamLimit(perMock, options.maxStreams ?? 0, perMock > 0 ? mockCounter(options.capSlot) : undefined, liveCounter('grpc'));
  const peers = options.tls ? new TlsPeers() : undefined;
  const tlsOf = peers ? (clientAddr: string) => peers.of(clientAddr) : undefined;
  const proxy = options.spec.proxy;
  const upstream = proxy ? createUpstreamClient(proxy.upstream) : undefined;
  // A proxy mock forwards every method of its protos (issue 21); its changes are never kept (change-policy.ts).
  const methods = upstream ? undefined : new GrpcMethodTable(options.protos, options.spec, {
    mockId: options.mockId,
    manager: options.manager,
    inflight,
    streams,
    ...(tlsOf ? { tlsOf } : {}),
    unlisted: (method) => createUnlistedHandler(method, options.manager),
  });
  if (methods) for (const { definition, implementation } of methods.services()) server.addService(definition, implementation);
  else {
    for (const [, methodsOfService] of options.protos.services) {
      const definition: Record<string, ServiceDefinition[string]> = {};
      const implementation: Record<string, UntypedHandleCall> = {};
      for (const [name, method] of Object.entries(methodsOfService)) {
        definition[name] = method;
        const plan = compileMethodPlan({}, method.responseSerialize, new WeakMap());
        const ctx = createMethodContext({ mockId: options.mockId, path: method.path, callType: streamTypeOf(method), plan, manager: options.manager, inflight, streams, ...(tlsOf ? { tlsOf } : {}) });
        implementation[name] = createProxyHandler(method, ctx, upstream!, proxy!.record?.redact !== false);
      }
      server.addService(definition as ServiceDefinition, implementation);
    }
  }
  // Contract §7: `reflection: true` serves grpc.reflection.v1 and v1alpha, both added by ReflectionService.
  if (options.spec.reflection) new ReflectionService(options.protos.packageDefinition as never).addToServer(server);

  // TLS is terminated by mockd's own listener (tls-listener.ts), shared or not; plain ports share as before.
  if (options.portShare || options.tls) {
    const listener = await listenShared(server, options.host, options.port, options.portShare, options.tls && peers ? { tls: options.tls, peers } : undefined);
    return new GrpcMockServer(options.mockId, (listener.server.address() as net.AddressInfo).port, server, options.manager, inflight, methods, listener, upstream);
  }
  const port = await bind(server, options.host, options.port);
  return new GrpcMockServer(options.mockId, port, server, options.manager, inflight, methods, undefined, upstream);
}

/**
 * Several pool members serve one gRPC port (README "Workers"). grpc-js cannot bind with reusePort, so each member
 * binds a plain net.Server with reusePort and hands every accepted socket to its grpc-js server through a connection
 * injector, which serves it exactly as a bound port would (the injector's http2 server is closed by shutdown).
 */
interface SharedListener {
  server: net.Server;
  /** The connections it accepted that are still open. */
  sockets: Set<net.Socket>;
}

async function listenShared(server: Server, host: string, port: number, share: PortShare | undefined, secure?: { tls: ResolvedMockTls; peers: TlsPeers }): Promise<SharedListener> {
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  let listener: net.Server;
  if (secure) {
    listener = createGrpcTlsServer(secure.tls, secure.peers, (socket) => injector.injectConnection(socket));
    listener.on('connection', track);
  } else {
    listener = net.createServer({ noDelay: true }, (socket) => {
      track(socket);
      injector.injectConnection(socket);
    });
  }
  try {
    await listenOn(listener, host, port, share);
  } catch (err) {
    server.forceShutdown();
    throw new MockdError('port_unavailable', `gRPC port ${port} is unavailable on ${host}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return { server: listener, sockets };
}

/** Resolves once every socket has closed, or after `ms`, whichever comes first; then destroys what is left. */
function closedWithin(sockets: net.Socket[], ms: number): Promise<void> {
  const open = sockets.filter((s) => !s.destroyed);
  if (open.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    let left = open.length;
    const timer = setTimeout(() => {
      for (const s of open) s.destroy();
      resolve();
    }, ms);
    for (const s of open) {
      s.once('close', () => {
        if (--left > 0) return;
        clearTimeout(timer);
        resolve();
      });
    }
  });
}

/**
 * `maxMessageSize` caps messages both ways; grpc-js answers RESOURCE_EXHAUSTED for a larger one, checking a received
 * message's declared length before buffering it. Unset keeps grpc-js's defaults (4 MiB received, unlimited sent).
 */
function serverOptionsOf(spec: GrpcSpec): ChannelOptions {
  const max = spec.maxMessageSize ?? 0;
  return max > 0 ? { 'grpc.max_receive_message_length': max, 'grpc.max_send_message_length': max } : {};
}

/** A method in the protos that the mock does not configure: UNIMPLEMENTED at once, counted, never tracked. */
function createUnlistedHandler(method: AnyMethodDefinition, manager: GrpcConnectionManager): UntypedHandleCall {
  const status = { code: GRPC_STATUS.UNIMPLEMENTED, details: `no mock configured for ${method.path.slice(1)}` };
  return ((call: ServerCallLike, callback?: (e: unknown) => void) => {
    manager.countRpc();
    metrics.request('grpc', undefined, status.code, 0);
    if (journal.enabled) journalUnlistedCall(method, call, status.code);
    if (callback) callback(status);
    else call.emit('error', status);
  }) as UntypedHandleCall;
}

function bind(server: Server, host: string, port: number): Promise<number> {
  const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, actual) => {
      if (!err) return resolve(actual);
      server.forceShutdown();
      // grpc-js wraps the listen errors: "No address added out of total 1 resolved errors: [listen EADDRINUSE: …]".
      const cause = /errors: \[(.+)\]$/s.exec(err.message)?.[1] ?? err.message;
      reject(new MockdError('port_unavailable', `gRPC port ${port} is unavailable on ${host}: ${cause}`));
    });
  });
}

/** Graceful shutdown (GOAWAY, let finished streams flush their trailers), bounded, then forced. */
function shutDown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, SHUTDOWN_GRACE_MS);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
