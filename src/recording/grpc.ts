// gRPC journal entries into mocks (issue 21): one mock per recorded gRPC mock, serving the same protos on a new port
// (0), with per method the recorded answers. Unary and client-stream calls answer the recorded response or error
// status; where requests differed, each recorded request becomes a variant that matches it. A server stream replays
// its recorded messages after the recorded wait for the first, then the mean recorded gap (the contract's
// `streamDelay` is one value); a bidi call answers its i-th message with the i-th recorded reply. Answers come from
// proxied calls, whose replies the journal keeps; other calls give their error statuses only.

import type { JournalEntry } from '../journal/types.ts';
import type { GrpcMethodConfig, Mock } from '../mocks/types.ts';
import type { MockInput } from '../mocks/schema/index.ts';
import type { GapScale } from './timing.ts';

/** gRPC status names by number (grpc/doc/statuscodes.md). */
const STATUS_NAMES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

interface Call {
  entry: JournalEntry;
  request?: unknown;
  outs: { t: number; body: unknown }[];
  firstIn?: number;
}

function answerOf(call: Call, scale: GapScale): GrpcMethodConfig {
  const g = call.entry.grpc!;
  const code = g.statusCode ?? 0;
  const config: GrpcMethodConfig = {};
  if (code !== 0) {
    config.error = { code: STATUS_NAMES[code] ?? 'UNKNOWN', ...(g.statusDetails !== undefined && { message: g.statusDetails }) };
    return config;
  }
  if (g.streamType === 'unary' || g.streamType === 'client_stream') {
    config.response = (g.response ?? {}) as object;
    return config;
  }
  const messages = call.outs.map((o) => o.body);
  config.responses = messages;
  if (g.streamType === 'server_stream' && call.outs.length > 0) {
    const start = call.firstIn ?? Date.parse(call.entry.timestamp);
    const first = scale(call.outs[0]!.t - start);
    if (first > 0) config.delay = first;
    if (call.outs.length > 1) {
      const span = call.outs[call.outs.length - 1]!.t - call.outs[0]!.t;
      const gap = scale(span / (call.outs.length - 1));
      if (gap > 0) config.streamDelay = gap;
    }
  }
  return config;
}

export function grpcMocksOf(entries: readonly JournalEntry[], scale: GapScale, mocks: ReadonlyMap<string, Mock>): MockInput[] {
  const streams = new Map<string, Call>();
  const byMock = new Map<string, Map<string, Call[]>>();
  for (const e of entries) {
    if (e.protocol !== 'grpc' || !e.grpc || e.mockId === undefined) continue;
    const g = e.grpc;
    const t = Date.parse(e.timestamp);
    if (g.kind === 'message' && g.streamId !== undefined) {
      let call = streams.get(g.streamId);
      if (!call) streams.set(g.streamId, (call = { entry: e, outs: [] }));
      if (g.direction === 'out') call.outs.push({ t, body: g.body });
      else {
        call.firstIn ??= t;
        // A client stream is matched on its last request (contract §7), the others on their first.
        if (g.streamType === 'client_stream' || call.request === undefined) call.request = g.body;
      }
      continue;
    }
    if (g.kind !== 'call') continue;
    const call: Call = g.streamId !== undefined ? (streams.get(g.streamId) ?? { entry: e, outs: [] }) : { entry: e, outs: [], request: g.body };
    call.entry = e;
    const methods = byMock.get(e.mockId) ?? new Map<string, Call[]>();
    byMock.set(e.mockId, methods);
    methods.set(g.method, [...(methods.get(g.method) ?? []), call]);
  }
  const out: MockInput[] = [];
  for (const [mockId, methods] of byMock) {
    const source = mocks.get(mockId)?.grpc;
    if (!source) continue;
    const services: Record<string, { methods: Record<string, GrpcMethodConfig> }> = {};
    for (const [path, calls] of methods) {
      const [, service, name] = /^\/([^/]+)\/([^/]+)$/.exec(path) ?? [];
      if (!service || !name) continue;
      const requests = new Map<string, Call>();
      for (const c of calls) requests.set(JSON.stringify(c.request ?? null), requests.get(JSON.stringify(c.request ?? null)) ?? c);
      const first = answerOf(calls[0]!, scale);
      const config: GrpcMethodConfig =
        requests.size <= 1
          ? first
          : {
              ...first,
              variants: [...requests.values()]
                .filter((c) => c.request !== null && typeof c.request === 'object')
                .map((c) => ({ ...answerOf(c, scale), match: { request: c.request as Record<string, unknown> } })),
            };
      (services[service] ??= { methods: {} }).methods[name] = config;
    }
    const protos = source.protoContent !== undefined ? { protoContent: source.protoContent } : source.protoFile !== undefined ? { protoFile: source.protoFile } : { protoFiles: source.protoFiles };
    out.push({
      type: 'grpc',
      name: `snapshot gRPC ${mockId}`,
      description: `recorded from ${mockId}`,
      enabled: true,
      grpc: { port: 0, ...protos, ...(source.importPaths && { importPaths: source.importPaths }), services },
    } as MockInput);
  }
  return out;
}
