// One in-flight RPC as the server sees it, whatever its kind: how to end it once (with a status or OK), waits that
// stop when it ends, and a promise for "the call is gone".
//
// Why streams end by emitting 'error': grpc-js turns `call.emit('error', {code, details})` into that status on the
// wire (ServerWritableStreamImpl/ServerDuplexStreamImpl set pendingStatus and end()). `call.destroy()` sends no
// status and leaves the client waiting, and `server.drain()` gives CANCELLED, not the UNAVAILABLE contract §7 asks.
//
// grpc-js emits 'cancelled' when the call is over for any reason, including after our own status was sent, so
// `#settled` records whether we ended it: only a 'cancelled' without it is the client's cancel or deadline.
//
// This object is built for every call, so it holds plain flags: no AbortController (aborting one builds a
// DOMException, which cost more than the rest of a unary call), timers and the `gone` promise only when asked for.

import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import type { Deadline, Metadata, sendUnaryData } from '@grpc/grpc-js';
import type { CloseReason } from '../../contract/protocols.ts';
import { GOODBYE_DETAILS, GRPC_STATUS } from './status-codes.ts';

/** The part of every grpc-js server call this file needs. */
export interface ServerCallLike extends EventEmitter {
  metadata: Metadata;
  getPeer(): string;
  getDeadline(): Deadline;
}

/** Called once with the final status as the call ends, before that status is sent (the journal's `call` entry). */
export type CallEndHook = (handle: CallHandle, statusCode: number) => void;

/** How long a goodbye waits for grpc-js to report the call gone before giving up on it. */
const GOODBYE_TIMEOUT_MS = 2000;

export class CallHandle {
  readonly call: ServerCallLike;
  /** Unary and client-stream calls end through grpc-js's callback; streams by end() or an emitted 'error'. */
  readonly #callback: sendUnaryData<object> | undefined;
  #inflight?: Set<CallHandle>;
  /** The `grpc-stream-<n>` id when the call is a tracked stream. */
  streamId?: string;
  onEnd?: CallEndHook;
  /** performance.now() when the call began, for the latency histogram. */
  readonly startedAt = performance.now();
  /** No configured candidate answered (UNIMPLEMENTED "no mock configured"): the call is journaled as unmatched. */
  unmatched = false;
  #settled = false;
  #ok = false;
  #endedByClient = false;
  #isGone = false;
  #gone?: Promise<void>;
  #resolveGone?: () => void;
  /** Pending waits, woken with false when the call ends. */
  #wakers?: Set<() => void>;

  constructor(call: ServerCallLike, callback?: sendUnaryData<object>) {
    this.call = call;
    this.#callback = callback;
    // `on`, not `once`: grpc-js emits 'cancelled' once per call, and #onGone ignores a repeat anyway.
    call.on('cancelled', () => this.#onGone());
  }

  /**
   * Keeps the handle in `inflight` (the server's set, for goodbyes) until grpc-js reports the call gone. Only calls
   * still open after their handler returns join it: holding every unary call there until grpc-js's late 'cancelled'
   * kept them alive through young-generation GCs and doubled their cost (about 10 µs a call).
   */
  keepIn(inflight: Set<CallHandle>): void {
    if (this.#isGone) return;
    this.#inflight = inflight;
    inflight.add(this);
  }

  /** Resolves once grpc-js reports the call over, by either side. */
  get gone(): Promise<void> {
    this.#gone ??= this.#isGone ? Promise.resolve() : new Promise<void>((resolve) => (this.#resolveGone = resolve));
    return this.#gone;
  }

  get isLive(): boolean {
    return !this.#settled && !this.#endedByClient;
  }

  /** The client cancelled or its deadline passed (grpc-js answered DEADLINE_EXCEEDED itself). */
  get endedByClient(): boolean {
    return this.#endedByClient;
  }

  /** The handler ended the call with OK. */
  get endedOk(): boolean {
    return this.#ok;
  }

  /** `ip:port` of the client; some grpc-js versions prefix the address family. */
  get clientAddr(): string {
    return this.call.getPeer().replace(/^ipv[46]:/, '');
  }

  /** Ends the call with an error status (and `trailer` metadata, for a proxy); false when it had already ended. */
  fail(code: number, details: string, trailer?: Metadata): boolean {
    if (!this.isLive) return false;
    this.#settled = true;
    this.#wakeAll();
    this.onEnd?.(this, code);
    const status = trailer ? { code, details, metadata: trailer } : { code, details };
    if (this.#callback) this.#callback(status);
    else this.call.emit('error', status);
    return true;
  }

  /** Ends the call with OK (a unary or client-stream call with `response`); false when it had already ended. */
  succeed(response?: object, trailer?: Metadata): boolean {
    if (!this.isLive) return false;
    this.#settled = true;
    this.#ok = true;
    this.#wakeAll();
    this.onEnd?.(this, GRPC_STATUS.OK);
    if (this.#callback) {
      if (trailer) this.#callback(null, response ?? {}, trailer);
      else this.#callback(null, response ?? {});
    } else if (trailer) (this.call as unknown as { end(md: Metadata): void }).end(trailer);
    else (this.call as unknown as Writable).end();
    return true;
  }

  /** The server's goodbye for `reason` (UNAVAILABLE, contract §7); resolves once the call is gone. */
  async goodbye(reason: CloseReason): Promise<void> {
    this.fail(GRPC_STATUS.UNAVAILABLE, GOODBYE_DETAILS[reason]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.gone, new Promise<void>((resolve) => (timer = setTimeout(resolve, GOODBYE_TIMEOUT_MS)))]);
    clearTimeout(timer);
  }

  /**
   * Waits `ms` unless the call ends first; true when the wait completed and the call is still live. Handlers skip
   * it when there is nothing to wait for, so a call without delays is answered synchronously, as grpc-js allows.
   */
  wait(ms: number): Promise<boolean> {
    if (ms <= 0 || !this.isLive) return Promise.resolve(this.isLive);
    return new Promise((resolve) => {
      const wakers = (this.#wakers ??= new Set());
      const wake = (): void => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        wakers.delete(wake);
        resolve(this.isLive);
      }, ms);
      wakers.add(wake);
    });
  }

  #wakeAll(): void {
    if (this.#wakers?.size) for (const wake of [...this.#wakers]) wake();
  }

  #onGone(): void {
    if (this.#isGone) return;
    this.#isGone = true;
    if (!this.#settled) {
      this.#endedByClient = true;
      this.onEnd?.(this, deadlinePassed(this.call) ? GRPC_STATUS.DEADLINE_EXCEEDED : GRPC_STATUS.CANCELLED);
    }
    this.#wakeAll();
    this.#inflight?.delete(this);
    this.#resolveGone?.();
  }
}

/** grpc-js's deadline timer runs on the monotonic clock and may fire a millisecond before `Date.now()` reaches it. */
const DEADLINE_SLACK_MS = 10;

/** grpc-js ends a call whose deadline passed with DEADLINE_EXCEEDED itself; any other unsettled end is a cancel. */
function deadlinePassed(call: ServerCallLike): boolean {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) && at <= Date.now() + DEADLINE_SLACK_MS;
}
