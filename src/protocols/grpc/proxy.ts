// `grpc.proxy` (issue 21): every method of the mock's protos is forwarded to the upstream with one grpc-js client per
// server. Requests are decoded with the protos and encoded again, so each message can be journaled; metadata goes up,
// response headers, trailers and the status come back. Calls are ordinary calls of the mock: streams are listed and
// counted, and a mock change ends them with UNAVAILABLE and cancels their upstream call.

import { Client, credentials, Metadata, type ClientDuplexStream, type ClientReadableStream, type ClientWritableStream, type sendUnaryData, type ServiceError, type StatusObject, type UntypedHandleCall } from '@grpc/grpc-js';
import { journal } from '../../journal/recorder.ts';
import { SENSITIVE_HEADERS, REDACTED } from '../../journal/redact.ts';
import type { CallHandle, ServerCallLike } from './call-handle.ts';
import type { GrpcCallType } from './journal.ts';
import { startCall, startStream, type MethodContext } from './method-context.ts';
import type { GrpcStream } from './manager.ts';
import type { AnyMethodDefinition } from './proto.ts';
import { GRPC_STATUS } from './status-codes.ts';

/** grpc-js sets these itself on every call; forwarding them would duplicate or contradict its own. */
const OWN_KEYS = new Set(['user-agent', 'content-type', 'te', 'grpc-accept-encoding', 'grpc-encoding', 'grpc-timeout', 'accept-encoding']);

export function createUpstreamClient(upstream: string): Client {
  return new Client(upstream.replace(/^grpc:\/\//, ''), credentials.createInsecure());
}

function forwardedMetadata(call: ServerCallLike): Metadata {
  const out = new Metadata();
  for (const [key, values] of Object.entries(call.metadata.toJSON())) {
    if (OWN_KEYS.has(key) || key.startsWith(':')) continue;
    for (const v of values) out.add(key, v as string | Buffer);
  }
  return out;
}

function metadataRecord(md: Metadata, redact: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(md.getMap())) out[k] = redact && SENSITIVE_HEADERS.has(k) ? REDACTED : typeof v === 'string' ? v : Buffer.from(v).toString('base64');
  return out;
}

interface ProxyContext {
  ctx: MethodContext;
  method: AnyMethodDefinition;
  client: Client;
  redact: boolean;
}

function journalCall(p: ProxyContext, handle: CallHandle, status: { code: number; details?: string }, extra: { body?: unknown; response?: unknown }): void {
  if (!journal.enabled) return;
  const record: Parameters<typeof journal.grpc>[0] = {
    proxied: true,
    mockId: p.ctx.mockId,
    matched: true,
    method: p.method.path,
    streamType: p.ctx.callType,
    kind: 'call',
    statusCode: status.code,
  };
  if (handle.streamId !== undefined) record.streamId = handle.streamId;
  if (extra.body !== undefined) record.body = extra.body;
  record.metadata = metadataRecord(handle.call.metadata, p.redact);
  if (extra.response !== undefined) record.response = extra.response;
  if (status.details) record.statusDetails = status.details;
  journal.grpc(record);
}

function journalMessage(p: ProxyContext, stream: GrpcStream, direction: 'in' | 'out', body: unknown): void {
  if (direction === 'in') p.ctx.manager.countRecv(stream);
  else p.ctx.manager.countSent(stream);
  if (journal.enabled) journal.grpc({ proxied: true, mockId: p.ctx.mockId, matched: true, method: p.method.path, streamType: p.ctx.callType, streamId: stream.id, kind: 'message', direction, body });
}

/** Passes the upstream's response headers on, and settles the call with the upstream's status and trailers. */
function relayStatus(p: ProxyContext, handle: CallHandle, upstream: ClientReadableStream<object> | ClientWritableStream<object> | ClientDuplexStream<object, object>, extra: { body?: unknown; response?: () => unknown }) {
  upstream.on('metadata', (md: Metadata) => {
    if (handle.isLive) (handle.call as unknown as { sendMetadata(md: Metadata): void }).sendMetadata(md);
  });
  upstream.on('status', (status: StatusObject) => {
    journalCall(p, handle, status, { body: extra.body, response: extra.response?.() });
    if (status.code === GRPC_STATUS.OK) handle.succeed(extra.response?.() as object | undefined, status.metadata);
    else handle.fail(status.code, status.details, status.metadata);
  });
  upstream.on('error', () => undefined);
  // A call that ends on this side (client cancel, mock change) takes its upstream call with it.
  void handle.gone.then(() => upstream.cancel());
}

export function createProxyHandler(method: AnyMethodDefinition, ctx: MethodContext, client: Client, redact: boolean): UntypedHandleCall {
  const p: ProxyContext = { ctx, method, client, redact };
  const ser = method.requestSerialize as (v: object) => Buffer;
  const deser = method.responseDeserialize as (b: Buffer) => object;
  const kind: GrpcCallType = ctx.callType;
  if (kind === 'unary') {
    return ((call: ServerCallLike & { request: object }, callback: sendUnaryData<object>) => {
      const handle = startCall(ctx, call, callback);
      handle.onEnd = undefined;
      handle.keepIn(ctx.inflight);
      let response: object | undefined;
      const upstream = client.makeUnaryRequest(method.path, ser, deser, call.request, forwardedMetadata(call), (err: ServiceError | null, value?: object) => {
        if (!err) response = value;
      });
      upstream.on('metadata', (md: Metadata) => handle.isLive && (call as unknown as { sendMetadata(md: Metadata): void }).sendMetadata(md));
      upstream.on('status', (status: StatusObject) => {
        journalCall(p, handle, status, { body: call.request, response });
        if (status.code === GRPC_STATUS.OK) handle.succeed(response, status.metadata);
        else handle.fail(status.code, status.details, status.metadata);
      });
      void handle.gone.then(() => upstream.cancel());
    }) as UntypedHandleCall;
  }
  if (kind === 'server_stream') {
    return ((call: ServerCallLike & { request: object; write(m: object): boolean }) => {
      const started = startStream(ctx, call);
      if (!started) return;
      const { handle, stream } = started;
      handle.onEnd = undefined;
      journalMessage(p, stream, 'in', call.request);
      const upstream = client.makeServerStreamRequest(method.path, ser, deser, call.request, forwardedMetadata(call));
      relayDown(upstream, call, handle, (m) => journalMessage(p, stream, 'out', m));
      relayStatus(p, handle, upstream, {});
    }) as UntypedHandleCall;
  }
  if (kind === 'client_stream') {
    return ((call: ServerCallLike, callback: sendUnaryData<object>) => {
      const started = startStream(ctx, call, callback);
      if (!started) return;
      const { handle, stream } = started;
      handle.onEnd = undefined;
      let response: object | undefined;
      const upstream = client.makeClientStreamRequest(method.path, ser, deser, forwardedMetadata(call), (err: ServiceError | null, value?: object) => {
        if (!err) response = value;
      });
      relayUp(call, upstream, (m) => journalMessage(p, stream, 'in', m));
      relayStatus(p, handle, upstream, { response: () => response });
    }) as UntypedHandleCall;
  }
  return ((call: ServerCallLike & { write(m: object): boolean }) => {
    const started = startStream(ctx, call);
    if (!started) return;
    const { handle, stream } = started;
    handle.onEnd = undefined;
    const upstream = client.makeBidiStreamRequest(method.path, ser, deser, forwardedMetadata(call));
    relayUp(call, upstream, (m) => journalMessage(p, stream, 'in', m));
    relayDown(upstream, call, handle, (m) => journalMessage(p, stream, 'out', m));
    relayStatus(p, handle, upstream, {});
  }) as UntypedHandleCall;
}

/** The client's messages go upstream as they come (each journaled `in`); its half-close ends the upstream call. */
function relayUp(call: ServerCallLike, upstream: { write(m: object): unknown; end(): void }, journaled: (m: object) => void): void {
  call.on('data', (message: object) => {
    journaled(message);
    upstream.write(message);
  });
  call.on('end', () => upstream.end());
}

/** The upstream's messages go to the client while its call is live (each journaled `out`). */
function relayDown(upstream: { on(event: 'data', fn: (m: object) => void): unknown }, call: { write(m: object): boolean }, handle: { isLive: boolean }, journaled: (m: object) => void): void {
  upstream.on('data', (message: object) => {
    if (!handle.isLive) return;
    call.write(message);
    journaled(message);
  });
}
