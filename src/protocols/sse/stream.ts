// One live SSE stream (contract §4): writes the preamble and the events on their schedule, sends keepalives, and
// ends in exactly one way — the mock's termination, a clean close (admin, mock change, shutdown), or the client
// leaving. Every end path goes through #stop(), which clears every timer and wakes any pending wait.

import type { ServerResponse } from 'node:http';
import type { EventEmitter } from 'node:events';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { TemplateContext } from '../../templating/index.ts';
import type { CloseReason } from '../connections.ts';
import { encodeEvent, KEEPALIVE, PREAMBLE, SSE_HEADERS, type WireEvent } from './encode.ts';
import type { SsePlan } from './plan.ts';
import { eventId, type SourceEvent } from './source.ts';
import { waitBefore } from './timing.ts';

/** What a stream tells its owner (the service, which keeps the manager's books). */
export interface StreamHooks {
  /** Body bytes were written; `events` of them were events (not the preamble or a keepalive). */
  wrote(bytes: number, events: number): void;
  /** A write failed (§9.3 counts it in connectionErrors); the stream then ends. */
  writeFailed(): void;
  /** The stream started to end: its record shows `closing`. */
  closing(): void;
  /** The stream is over; called exactly once. */
  ended(reason: CloseReason): void;
  /** An event went on the wire (the journal records it). */
  sent?(event: WireEvent): void;
}

export interface StreamSetup {
  plan: SsePlan;
  /** The request context every event's data is rendered with (§3.3 `request.*`). */
  context: TemplateContext;
  /** The first event index: 0, or just past the Last-Event-ID when resuming. */
  startIndex: number;
}

/** How long a clean end may wait for the client to take the last bytes before the socket is dropped. */
const END_TIMEOUT_MS = 2000;

type State = 'open' | 'terminating' | 'closing' | 'ended';

export class SseStream {
  #state: State = 'open';
  #index: number;
  #sent = 0;
  #timedOut = false;
  /** The pause or drain wait under way; aborting it wakes the event loop of this stream. */
  #wait: AbortController | undefined;
  #keepalive: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #ending: Promise<void> | undefined;
  #writeFailed = false;
  /** Settles when the socket has taken the latest write (its callback ran). */
  #lastWrite: Promise<void> = Promise.resolve();

  constructor(
    private readonly res: ServerResponse,
    private readonly setup: StreamSetup,
    private readonly hooks: StreamHooks,
  ) {
    this.#index = setup.startIndex;
  }

  start(): void {
    const { res } = this;
    const { plan } = this.setup;
    res.writeHead(200, SSE_HEADERS);
    // Each event must reach the client when it is written, not when Nagle's algorithm decides.
    res.socket?.setNoDelay(true);
    res.flushHeaders();
    res.on('close', () => this.#onResponseClosed());
    this.#write(PREAMBLE, 0);
    if (plan.keepaliveMs > 0) this.#keepalive = setInterval(() => this.#write(KEEPALIVE, 0), plan.keepaliveMs);
    if (plan.connectionTimeoutMs > 0) {
      this.#deadline = setTimeout(() => {
        this.#timedOut = true;
        this.#wait?.abort();
      }, plan.connectionTimeoutMs);
    }
    this.#run().catch((err) => {
      console.error('mockd sse stream:', err);
      this.#drop('server');
    });
  }

  /** Ends the response cleanly (final zero-length chunk, no final event); resolves once the stream is over. */
  close(reason: CloseReason): Promise<void> {
    if (this.#state === 'ended') return Promise.resolve();
    return (this.#ending ??= this.#endCleanly(reason));
  }

  async #run(): Promise<void> {
    const { plan } = this.setup;
    await this.#pause(plan.initialDelayMs);
    while (this.#isStreaming()) {
      if (plan.maxEvents > 0 && this.#sent >= plan.maxEvents) break;
      if (this.#index >= plan.events.length) break;
      const index = this.#index;
      const event = plan.events.at(index);
      await this.#pause(waitBefore(plan.timing, { delay: event.delay, index, sent: this.#sent }));
      if (!this.#isStreaming()) break;
      const flowing = this.#writeEvent(event, eventId(event, index, plan.resume));
      this.#index++;
      this.#sent++;
      if (!flowing) await this.#drain();
    }
    if (this.#state === 'open') await this.#terminate();
  }

  #isStreaming(): boolean {
    return this.#state === 'open' && !this.#timedOut;
  }

  /** Source exhausted, maxEvents sent or connectionTimeout passed: end the way the mock says (§4 termination). */
  async #terminate(): Promise<void> {
    const { termination } = this.setup.plan;
    this.#state = 'terminating';
    this.#clearTimers();
    this.hooks.closing();
    if (termination.type === 'abrupt') {
      await this.#flushed();
      if (this.#state === 'terminating') this.#drop('server');
      return;
    }
    if (termination.type === 'error') {
      this.#writeEvent(termination.errorEvent, termination.errorEvent.id);
    } else {
      if (termination.finalEvent) this.#writeEvent(termination.finalEvent, termination.finalEvent.id);
      await this.#pause(termination.closeDelayMs);
    }
    if (this.#state === 'terminating') await this.close('server');
  }

  #writeEvent(event: SourceEvent, id: string | undefined): boolean {
    const wire: WireEvent = { data: event.renderData(this.setup.context) };
    if (event.type !== undefined) wire.type = event.type;
    if (id !== undefined) wire.id = id;
    if (event.retry !== undefined) wire.retry = event.retry;
    if (event.comment !== undefined) wire.comment = event.comment;
    const flowing = this.#write(encodeEvent(wire), 1);
    this.hooks.sent?.(wire);
    return flowing;
  }

  /** Writes body text; false when the socket wants a drain first. */
  #write(text: string, events: number): boolean {
    const { res } = this;
    if (res.writableEnded || res.destroyed) return false;
    this.hooks.wrote(Buffer.byteLength(text), events);
    let flowing = false;
    this.#lastWrite = new Promise((resolve) => {
      flowing = res.write(text, (err) => {
        if (err) this.#onWriteError(err);
        resolve();
      });
    });
    return flowing;
  }

  #onWriteError(err: NodeJS.ErrnoException): void {
    if (this.#writeFailed) return;
    this.#writeFailed = true;
    // A write we abandoned ourselves (an abrupt end, a timed-out clean end) reports ERR_STREAM_DESTROYED: not an error.
    if (err.code === 'ERR_STREAM_DESTROYED') return;
    if (this.#state === 'closing') return;
    this.hooks.writeFailed();
    this.#drop('client');
  }

  /** The response closed: after our own end that is expected; otherwise the client went away. */
  #onResponseClosed(): void {
    if (this.#state === 'open' || this.#state === 'terminating') this.#finish('client');
  }

  async #endCleanly(reason: CloseReason): Promise<void> {
    this.#state = 'closing';
    this.#clearTimers();
    this.hooks.closing();
    const { res } = this;
    if (!res.writableEnded && !res.destroyed) {
      const done = waitForEvent(res, ['finish', 'close'], END_TIMEOUT_MS);
      res.end();
      if (!(await done)) res.destroy();
    }
    this.#finish(reason);
  }

  /** Destroys the socket: no terminating chunk (§4 `abrupt`). */
  #drop(reason: CloseReason): void {
    if (this.#state === 'ended') return;
    this.#state = 'closing';
    this.res.destroy();
    this.#finish(reason);
  }

  #finish(reason: CloseReason): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    this.#clearTimers();
    this.hooks.ended(reason);
  }

  #clearTimers(): void {
    clearInterval(this.#keepalive);
    clearTimeout(this.#deadline);
    this.#keepalive = this.#deadline = undefined;
    this.#wait?.abort();
  }

  /** Waits `ms` (or one event-loop turn for 0, so a zero-delay source never starves the worker); woken by #wait. */
  async #pause(ms: number): Promise<void> {
    const wait = (this.#wait = new AbortController());
    try {
      if (ms > 0) await sleep(ms, undefined, { signal: wait.signal });
      else await nextTurn(undefined, { signal: wait.signal });
    } catch {
      // Aborted: the stream is ending or its connectionTimeout passed; the caller checks which.
    } finally {
      if (this.#wait === wait) this.#wait = undefined;
    }
  }

  /** Waits for the socket to take what is buffered (back-pressure from a slow client). */
  async #drain(): Promise<void> {
    const wait = (this.#wait = new AbortController());
    await waitForEvent(this.res, ['drain'], 0, wait.signal);
    if (this.#wait === wait) this.#wait = undefined;
  }

  /** Before dropping the socket, let the socket take what was written, so the events before an abrupt end arrive. */
  async #flushed(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, END_TIMEOUT_MS)));
    await Promise.race([this.#lastWrite, timeout]);
    clearTimeout(timer);
  }
}

/**
 * Resolves true when `emitter` emits one of `events`, false after `timeoutMs` (0 = no limit) or an abort. Removes its
 * listeners and clears its timer either way.
 */
function waitForEvent(emitter: EventEmitter, events: string[], timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (result: boolean) => {
      clearTimeout(timer);
      for (const e of events) emitter.off(e, onEvent);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onEvent = () => done(true);
    const onAbort = () => done(false);
    for (const e of events) emitter.on(e, onEvent);
    if (timeoutMs > 0) timer = setTimeout(onAbort, timeoutMs);
    if (signal) {
      if (signal.aborted) return done(false);
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}
