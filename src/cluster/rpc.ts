// Request and reply between replicas over Redis pub/sub: each replica listens on its own request channel and on its
// own reply channel. Every call is bounded: a replica that does not answer within the bound gives 503
// worker_unavailable naming it, never a hang.

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { MockdError, isErrorCode } from '../errors.ts';
import type { ClusterKeys } from './keys.ts';

export const RPC_TIMEOUT_MS = 2000;

export type RpcHandler = (args: any) => Promise<unknown>;

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class ReplicaRpc {
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly pub: Redis,
    private readonly keys: ClusterKeys,
    private readonly self: string,
    private readonly handlers: Record<string, RpcHandler>,
  ) {}

  /** Asks `replica` to run `op`; rejects with 503 if it does not answer within `timeoutMs`. */
  async call<T>(replica: string, op: string, args: unknown, timeoutMs = RPC_TIMEOUT_MS): Promise<T> {
    const id = randomUUID();
    const answer = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new MockdError('worker_unavailable', `replica ${replica} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
    });
    try {
      const listeners = await this.pub.publish(this.keys.rpc(replica), JSON.stringify({ id, op, args, from: this.self }));
      if (listeners === 0) throw new MockdError('worker_unavailable', `replica ${replica} is not listening`);
    } catch (err) {
      const p = this.#pending.get(id);
      clearTimeout(p?.timer);
      this.#pending.delete(id);
      throw err instanceof MockdError ? err : new MockdError('worker_unavailable', `cluster store (Redis) unreachable: ${(err as Error).message}`);
    }
    return answer;
  }

  /** A request for this replica: run it and publish the answer (or the error's code and message). */
  async onRequest(raw: string): Promise<void> {
    const { id, op, args, from } = JSON.parse(raw) as { id: string; op: string; args: unknown; from: string };
    let reply: unknown;
    try {
      const handler = this.handlers[op];
      if (!handler) throw new MockdError('internal_error', `unknown cluster call ${op}`);
      reply = { id, ok: true, value: (await handler(args)) ?? null };
    } catch (err) {
      const e = err as MockdError;
      reply = { id, ok: false, code: isErrorCode(e.code) ? e.code : 'internal_error', message: e.message };
    }
    await this.pub.publish(this.keys.reply(from), JSON.stringify(reply)).catch(() => undefined);
  }

  onReply(raw: string): void {
    const reply = JSON.parse(raw) as { id: string; ok: boolean; value?: unknown; code?: string; message?: string };
    const p = this.#pending.get(reply.id);
    if (!p) return;
    clearTimeout(p.timer);
    this.#pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value ?? undefined);
    else p.reject(new MockdError(isErrorCode(reply.code) ? reply.code : 'internal_error', reply.message ?? 'error on another replica'));
  }
}
