// One in-flight RPC as the server sees it, whatever its kind: how to end it once (with a status or OK), a signal that
// stops its timers when it ends, and a promise for "the call is gone".
//
// Why streams end by emitting 'error': grpc-js turns `call.emit('error', {code, details})` into that status on the
// wire (ServerWritableStreamImpl/ServerDuplexStreamImpl set pendingStatus and end()). `call.destroy()` sends no
// status and leaves the client waiting, and `server.drain()` gives CANCELLED, not the UNAVAILABLE contract §7 asks.
//
// grpc-js emits 'cancelled' when the call is over for any reason, including after our own status was sent, so
// `#settled` records whether we ended it: only a 'cancelled' without it is the client's cancel or deadline.

import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import type { Deadline, Metadata } from '@grpc/grpc-js';
import type { CloseReason } from '../connections.ts';
import { GOODBYE_DETAILS, GRPC_STATUS } from './status-codes.ts';

/** The part of every grpc-js server call this file needs. */
export interface ServerCallLike extends EventEmitter {
  metadata: Metadata;
  getPeer(): string;
  getDeadline(): Deadline;
}

/** How this kind of call sends its final status: the unary callback, or the stream's end/error. */
export interface CallEnder {
  fail(code: number, details: string): void;
  succeed(response?: object): void;
}

/** How long a goodbye waits for grpc-js to report the call gone before giving up on it. */
const GOODBYE_TIMEOUT_MS = 2000;

export class CallHandle {
  readonly #controller = new AbortController();
  readonly #ender: CallEnder;
  readonly #call: ServerCallLike;
  readonly gone: Promise<void>;
  /** The `grpc-stream-<n>` id when the call is a tracked stream. */
  streamId?: string;
  /** Called once with the final status as the call ends, before that status is sent (the journal's `call` entry). */
  onEnd?: (statusCode: number) => void;
  /** No configured candidate answered (UNIMPLEMENTED "no mock configured"): the call is journaled as unmatched. */
  unmatched = false;
  #settled = false;
  #ok = false;
  #endedByClient = false;

  constructor(call: ServerCallLike, ender: CallEnder) {
    this.#call = call;
    this.#ender = ender;
    this.gone = new Promise((resolve) => {
      call.once('cancelled', () => {
        if (!this.#settled) {
          this.#endedByClient = true;
          this.onEnd?.(deadlinePassed(call) ? GRPC_STATUS.DEADLINE_EXCEEDED : GRPC_STATUS.CANCELLED);
        }
        this.#controller.abort();
        resolve();
      });
    });
  }

  /** Aborts when the call ends, by either side: pending delays and stream loops stop on it. */
  get signal(): AbortSignal {
    return this.#controller.signal;
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
    return this.#call.getPeer().replace(/^ipv[46]:/, '');
  }

  /** Ends the call with an error status; false when it had already ended. */
  fail(code: number, details: string): boolean {
    if (!this.isLive) return false;
    this.#settled = true;
    this.#controller.abort();
    this.onEnd?.(code);
    this.#ender.fail(code, details);
    return true;
  }

  /** Ends the call with OK (a unary or client-stream call with `response`); false when it had already ended. */
  succeed(response?: object): boolean {
    if (!this.isLive) return false;
    this.#settled = true;
    this.#ok = true;
    this.#controller.abort();
    this.onEnd?.(GRPC_STATUS.OK);
    this.#ender.succeed(response);
    return true;
  }

  /** The server's goodbye for `reason` (UNAVAILABLE, contract §7); resolves once the call is gone. */
  async goodbye(reason: CloseReason): Promise<void> {
    this.fail(GRPC_STATUS.UNAVAILABLE, GOODBYE_DETAILS[reason]);
    const timer = new AbortController();
    await Promise.race([this.gone, delay(GOODBYE_TIMEOUT_MS, undefined, { signal: timer.signal }).catch(() => undefined)]);
    timer.abort();
  }

  /** Waits `ms` unless the call ends first; true when the wait completed and the call is still live. */
  async wait(ms: number): Promise<boolean> {
    if (ms > 0 && this.isLive) {
      try {
        await delay(ms, undefined, { signal: this.signal });
      } catch {
        return false;
      }
    }
    return this.isLive;
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

/** Metadata as lowercase key → all values, binary values as base64: what `match.metadata` and templates read. */
export function metadataOf(call: ServerCallLike): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(call.metadata.toJSON())) {
    out[key] = values.map((v) => (typeof v === 'string' ? v : Buffer.from(v).toString('base64')));
  }
  return out;
}
