// The methods one gRPC server serves, each behind a handler that can be swapped while the server runs. grpc-js keeps
// the handler it was given for a service, so each method is registered once as a dispatcher to its current handler;
// a mock change that keeps the server (README "Mock changes") replaces the handlers (new calls) and, with
// `onChange: "keep"`, the plan of the calls under way too (a bidi stream's next message gets the new responses).

import type { ServiceDefinition, UntypedHandleCall } from '@grpc/grpc-js';
import type { GrpcSpec } from '../../mocks/types.ts';
import { closeAfter } from '../drain.ts';
import { createBidiHandler } from './bidi.ts';
import type { CallHandle } from './call-handle.ts';
import { createClientStreamHandler } from './client-stream.ts';
import { wrapDeserializer } from './decode.ts';
import { streamTypeOf } from './journal.ts';
import type { GrpcConnectionManager } from './manager.ts';
import { createMethodContext, type MethodContext } from './method-context.ts';
import type { TlsInfo } from '../../contract/tls.ts';
import { compileMethodPlan } from './method-plan.ts';
import type { AnyMethodDefinition, LoadedProtos } from './proto.ts';
import { createServerStreamHandler } from './server-stream.ts';
import type { StreamLimit } from './stream-limit.ts';
import { createUnaryHandler } from './unary.ts';

interface Slot {
  serviceName: string;
  name: string;
  method: AnyMethodDefinition;
  /** Static replies serialized once, by the plan compiler; the method's serializer sends their bytes. */
  preSerialized: WeakMap<object, Buffer>;
  /** The current handler and, for a configured method, its context (absent: the method answers UNIMPLEMENTED). */
  handler: UntypedHandleCall;
  ctx?: MethodContext;
}

export interface MethodTableDeps {
  mockId: string;
  manager: GrpcConnectionManager;
  inflight: Set<CallHandle>;
  streams: StreamLimit;
  /** TLS facts of a call's connection, when the server speaks TLS (README "TLS"). */
  tlsOf?: (clientAddr: string) => TlsInfo | undefined;
  /** The handler of a method in the protos that the mock does not configure. */
  unlisted(method: AnyMethodDefinition): UntypedHandleCall;
}

export class GrpcMethodTable {
  readonly #slots: Slot[] = [];

  constructor(
    protos: LoadedProtos,
    spec: GrpcSpec,
    private readonly deps: MethodTableDeps,
  ) {
    for (const [serviceName, methods] of protos.services) {
      for (const [name, method] of Object.entries(methods)) {
        const slot: Slot = { serviceName, name, method, preSerialized: new WeakMap(), handler: deps.unlisted(method) };
        this.#configure(slot, spec);
        this.#slots.push(slot);
      }
    }
  }

  /** Each service's definition and dispatching implementation, for `server.addService`. */
  services(): { definition: ServiceDefinition; implementation: Record<string, UntypedHandleCall> }[] {
    const byService = new Map<string, { definition: Record<string, ServiceDefinition[string]>; implementation: Record<string, UntypedHandleCall> }>();
    for (const slot of this.#slots) {
      let entry = byService.get(slot.serviceName);
      if (!entry) byService.set(slot.serviceName, (entry = { definition: {}, implementation: {} }));
      const { method, preSerialized } = slot;
      entry.definition[slot.name] = {
        ...method,
        requestDeserialize: wrapDeserializer(method.requestDeserialize),
        responseSerialize: (value: object) => preSerialized.get(value) ?? method.responseSerialize(value),
      };
      entry.implementation[slot.name] = ((call: never, callback: never) => (slot.handler as (a: never, b: never) => void)(call, callback)) as UntypedHandleCall;
    }
    return [...byService.values()].map((e) => ({ definition: e.definition as ServiceDefinition, implementation: e.implementation }));
  }

  /**
   * Serves `spec` from the next call on. `keep`: calls under way move to it too; `drain`: they stay on the old version
   * and are cancelled with UNAVAILABLE after `drainTimeoutMs`. Streams of a method the new version no longer
   * configures end now (UNAVAILABLE), whichever the policy.
   */
  change(spec: GrpcSpec, action: 'keep' | 'drain', drainTimeoutMs: number): void {
    const closeNow: string[] = [];
    const drained: string[] = [];
    for (const slot of this.#slots) {
      const path = slot.method.path;
      const live = this.deps.manager.list(this.deps.mockId).filter((s) => s.method === path).map((s) => s.id);
      const config = spec.services?.[slot.serviceName]?.methods[slot.name];
      if (!config) {
        closeNow.push(...live);
        slot.ctx = undefined;
        slot.handler = this.deps.unlisted(slot.method);
        continue;
      }
      if (action === 'keep' && slot.ctx) {
        slot.ctx.plan = compileMethodPlan(config, slot.method.responseSerialize, slot.preSerialized);
        continue;
      }
      drained.push(...live);
      this.#configure(slot, spec);
    }
    for (const id of closeNow) void this.deps.manager.close(id, 'mock_changed');
    closeAfter(drained, drainTimeoutMs, (id) => this.deps.manager.close(id, 'mock_changed'));
  }

  #configure(slot: Slot, spec: GrpcSpec): void {
    const config = spec.services?.[slot.serviceName]?.methods[slot.name];
    if (!config) return;
    const plan = compileMethodPlan(config, slot.method.responseSerialize, slot.preSerialized);
    const { mockId, manager, inflight, streams, tlsOf } = this.deps;
    const ctx = createMethodContext({ mockId, path: slot.method.path, callType: streamTypeOf(slot.method), plan, manager, inflight, streams, ...(tlsOf ? { tlsOf } : {}) });
    slot.ctx = ctx;
    slot.handler = createHandler(slot.method, ctx);
  }
}

function createHandler(method: AnyMethodDefinition, ctx: MethodContext): UntypedHandleCall {
  if (method.requestStream && method.responseStream) return createBidiHandler(ctx);
  if (method.requestStream) return createClientStreamHandler(ctx);
  if (method.responseStream) return createServerStreamHandler(ctx);
  return createUnaryHandler(ctx);
}
