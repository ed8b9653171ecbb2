// One grpc-js Server for one gRPC mock's port, built at runtime from its protos (contract §7). Every service in the
// protos is registered, so a method the mock does not list answers UNIMPLEMENTED (grpc-js itself answers
// UNIMPLEMENTED for services that are not in the protos). Created ready by `startGrpcServer`, or not at all.

import net from 'node:net';
import { Server, ServerCredentials, logVerbosity, setLogVerbosity, type ChannelOptions, type ServiceDefinition, type UntypedHandleCall } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { MockdError } from '../../errors.ts';
import { journal } from '../../journal/recorder.ts';
import type { GrpcSpec } from '../../mocks/types.ts';
import type { CloseReason } from '../../contract/protocols.ts';
import type { PortShare } from '../../contract/worker-api.ts';
import { mockCounter } from '../pool-counts.ts';
import { listenOn } from '../shared-port.ts';
import { createBidiHandler } from './bidi.ts';
import type { CallHandle, ServerCallLike } from './call-handle.ts';
import { createClientStreamHandler } from './client-stream.ts';
import { wrapDeserializer } from './decode.ts';
import { journalUnlistedCall, streamTypeOf } from './journal.ts';
import type { GrpcConnectionManager } from './manager.ts';
import { createMethodContext, type MethodContext } from './method-context.ts';
import { compileMethodPlan } from './method-plan.ts';
import type { AnyMethodDefinition, LoadedProtos } from './proto.ts';
import { createServerStreamHandler } from './server-stream.ts';
import { GRPC_STATUS } from './status-codes.ts';
import { StreamLimit } from './stream-limit.ts';
import { createUnaryHandler } from './unary.ts';
import { createProxyHandler, createUpstreamClient } from './proxy.ts';
import type { Client } from '@grpc/grpc-js';

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
  const streams = new StreamLimit(perMock, options.maxStreams ?? 0, perMock > 0 ? mockCounter(options.capSlot) : undefined);
  const proxy = options.spec.proxy;
  const upstream = proxy ? createUpstreamClient(proxy.upstream) : undefined;
  for (const [serviceName, methods] of options.protos.services) {
    const definition: Record<string, ServiceDefinition[string]> = {};
    const implementation: Record<string, UntypedHandleCall> = {};
    for (const [name, method] of Object.entries(methods)) {
      if (upstream) {
        // Issue 21: a proxy mock forwards every method of its protos.
        definition[name] = method;
        const plan = compileMethodPlan({}, method.responseSerialize, new WeakMap());
        const ctx = createMethodContext({ mockId: options.mockId, path: method.path, callType: streamTypeOf(method), plan, manager: options.manager, inflight, streams });
        implementation[name] = createProxyHandler(method, ctx, upstream, proxy!.record?.redact !== false);
        continue;
      }
      const config = options.spec.services?.[serviceName]?.methods[name];
      if (!config) {
        definition[name] = { ...method, requestDeserialize: wrapDeserializer(method.requestDeserialize) };
        implementation[name] = createUnlistedHandler(method, options.manager);
        continue;
      }
      // Static replies are serialized once, here; the serializer sends their bytes (method-plan.ts).
      const preSerialized = new WeakMap<object, Buffer>();
      const plan = compileMethodPlan(config, method.responseSerialize, preSerialized);
      definition[name] = {
        ...method,
        requestDeserialize: wrapDeserializer(method.requestDeserialize),
        responseSerialize: (value: object) => preSerialized.get(value) ?? method.responseSerialize(value),
      };
      const ctx = createMethodContext({ mockId: options.mockId, path: method.path, callType: streamTypeOf(method), plan, manager: options.manager, inflight, streams });
      implementation[name] = createHandler(method, ctx);
    }
    server.addService(definition as ServiceDefinition, implementation);
  }
  // Contract §7: `reflection: true` serves grpc.reflection.v1 and v1alpha, both added by ReflectionService.
  if (options.spec.reflection) new ReflectionService(options.protos.packageDefinition as never).addToServer(server);

  if (options.portShare) {
    const listener = await listenShared(server, options.host, options.port, options.portShare);
    return new GrpcMockServer(options.mockId, (listener.server.address() as net.AddressInfo).port, server, options.manager, inflight, listener, upstream);
  }
  const port = await bind(server, options.host, options.port);
  return new GrpcMockServer(options.mockId, port, server, options.manager, inflight, undefined, upstream);
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

async function listenShared(server: Server, host: string, port: number, share: PortShare): Promise<SharedListener> {
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  const sockets = new Set<net.Socket>();
  const listener = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    injector.injectConnection(socket);
  });
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

function createHandler(method: AnyMethodDefinition, ctx: MethodContext): UntypedHandleCall {
  if (method.requestStream && method.responseStream) return createBidiHandler(ctx);
  if (method.requestStream) return createClientStreamHandler(ctx);
  if (method.responseStream) return createServerStreamHandler(ctx);
  return createUnaryHandler(ctx);
}

/** A method in the protos that the mock does not configure: UNIMPLEMENTED at once, counted, never tracked. */
function createUnlistedHandler(method: AnyMethodDefinition, manager: GrpcConnectionManager): UntypedHandleCall {
  const status = { code: GRPC_STATUS.UNIMPLEMENTED, details: `no mock configured for ${method.path.slice(1)}` };
  return ((call: ServerCallLike, callback?: (e: unknown) => void) => {
    manager.countRpc();
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
