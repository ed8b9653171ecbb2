// One live SSE stream (contract §4): writes the preamble and the events on their schedule, sends keepalives, and
// ends in exactly one way — the mock's termination, a clean close (admin, mock change, shutdown), or the client
// leaving. Every end path goes through #clearTimers(), which clears every timer and wakes any pending wait.
// Events due at once (no wait before them) go out in batches: one synchronous pass renders up to BATCH_EVENTS of them
// into one write, then the stream yields a turn, so a zero-delay stream costs one socket write per batch, not per
// event, and never starves the other streams or the worker's admin calls.

import type { ServerResponse } from 'node:http';
import type { EventEmitter } from 'node:events';
import type { TemplateContext } from '../../templating/index.ts';
import type { CloseReason } from '../../contract/protocols.ts';
import { encodeEvent, KEEPALIVE, PREAMBLE, SSE_HEADERS, type WireEvent } from '../../contract/sse-wire.ts';
import type { SsePlan } from './plan.ts';
import { eventId, type SourceEvent } from './source.ts';
import { waitBefore } from './timing.ts';
import { threadLog } from '../../util/logger.ts';

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
  /** Faults on the stream, asked before each event: false drops it, a number holds it that many ms. */
  outbound?(): number | false;
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

/** Bounds of one synchronous pass of events due at once; the stream yields a turn after each (and at back-pressure). */
const BATCH_EVENTS = 64;
const BATCH_CHARS = 64 * 1024;

type State = 'open' | 'terminating' | 'closing' | 'ended';

export class SseStream {
  #state: State = 'open';
  #index: number;
  #sent = 0;
  #timedOut = false;
  /** Ends the pause or drain wait under way, waking the event loop of this stream. */
  #wake: (() => void) | undefined;
  /** The wait before the event at #index, once drawn (randomDelay draws once per event). */
  #nextWait: number | undefined;
  #keepalive: NodeJS.Timeout | undefined;
  #deadline: NodeJS.Timeout | undefined;
  #ending: Promise<void> | undefined;
  #writeFailed = false;
  /** Settles when the socket has taken the latest write (its callback ran). */
  #lastWrite: Promise<void> = Promise.resolve();
  /** A fault's answer for the next event, asked while a batch was being built. */
  #pendingGate: number | false | undefined;

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
        this.#wake?.();
      }, plan.connectionTimeoutMs);
    }
    this.#run().catch((err) => {
      threadLog().error({ err }, 'sse stream failed');
      this.#drop('server');
    });
  }

  /** A fault's `close`: tells the client when to reconnect (`retry:`), then ends cleanly. */
  closeWithRetry(retryMs: number | undefined, reason: CloseReason): Promise<void> {
    if (retryMs !== undefined && this.#state === 'open') this.#write(`retry: ${retryMs}\n\n`, 0);
    return this.close(reason);
  }

  /**
   * A kept mock change (README "Mock changes"): the stream goes on with the new version's events, from its first
   * one, after the wait already under way; events sent so far still count for `maxEvents`.
   */
  adopt(plan: SsePlan): void {
    if (this.#state !== 'open') return;
    this.setup.plan = plan;
    this.#index = 0;
    this.#nextWait = undefined;
  }

  /** Ends the response cleanly (final zero-length chunk, no final event); resolves once the stream is over. */
  close(reason: CloseReason): Promise<void> {
    if (this.#state === 'ended') return Promise.resolve();
    return (this.#ending ??= this.#endCleanly(reason));
  }

  async #run(): Promise<void> {
    const { plan } = this.setup;
    if (plan.initialDelayMs > 0) await this.#pause(plan.initialDelayMs);
    // A first event with no wait before it goes out at once, right behind the preamble; after that a zero wait is
    // one event-loop turn between batches.
    let first = true;
    while (this.#isStreaming() && this.#hasNext()) {
      const wait = this.#waitBeforeNext();
      if (wait > 0 || !first) await this.#pause(wait);
      first = false;
      if (!this.#isStreaming()) break;
      const gate = this.#pendingGate ?? this.hooks.outbound?.() ?? 0;
      this.#pendingGate = undefined;
      if (gate === false) {
        this.#skipEvent();
        continue;
      }
      if (gate > 0) {
        await this.#pause(gate);
        if (!this.#isStreaming()) break;
      }
      if (!this.#writeBatch()) await this.#drain();
    }
    if (this.#state === 'open') await this.#terminate();
  }

  /** The source has another event and maxEvents is not reached. */
  #hasNext(): boolean {
    const { plan } = this.setup;
    return (plan.maxEvents === 0 || this.#sent < plan.maxEvents) && this.#index < plan.events.length;
  }

  /** The wait before the event at #index (§4 timing), drawn once per event however often it is asked for. */
  #waitBeforeNext(): number {
    if (this.#nextWait === undefined) {
      const { plan } = this.setup;
      const index = this.#index;
      this.#nextWait = waitBefore(plan.timing, { delay: plan.events.at(index).delay, index, sent: this.#sent });
    }
    return this.#nextWait;
  }

  /**
   * Writes the event at #index, which is due now, and those after it that have no wait before them, up to the batch
   * bounds, as one write. False when the socket wants a drain first. When the response can no longer take writes, a
   * single event is handled, as one write per event would.
   */
  #writeBatch(): boolean {
    const { plan } = this.setup;
    const writable = !this.res.writableEnded && !this.res.destroyed;
    let text = '';
    let events = 0;
    do {
      this.#nextWait = undefined;
      const index = this.#index;
      const event = plan.events.at(index);
      text += this.#renderEvent(event, eventId(event, index, plan.resume));
      this.#index++;
      this.#sent++;
      events++;
    } while (
      writable && events < BATCH_EVENTS && text.length < BATCH_CHARS && this.#hasNext() && this.#waitBeforeNext() === 0 &&
      this.#isPlainNext()
    );
    return this.#write(text, events);
  }

  /** No fault holds or drops the next event; a fault's answer is kept for #run. */
  #isPlainNext(): boolean {
    const gate = this.hooks.outbound?.() ?? 0;
    if (gate === 0) return true;
    this.#pendingGate = gate;
    return false;
  }

  /** A fault dropped the event at #index: it counts as sent by the source but never reaches the wire. */
  #skipEvent(): void {
    this.#nextWait = undefined;
    this.#index++;
    this.#sent++;
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
      this.#write(this.#renderEvent(termination.errorEvent, termination.errorEvent.id), 1);
    } else {
      if (termination.finalEvent) this.#write(this.#renderEvent(termination.finalEvent, termination.finalEvent.id), 1);
      await this.#pause(termination.closeDelayMs);
    }
    if (this.#state === 'terminating') await this.close('server');
  }

  /** One event's wire text; the `sent` hook sees it (the journal entry of each event, §12). */
  #renderEvent(event: SourceEvent, id: string | undefined): string {
    const wire: WireEvent = { data: event.renderData(this.setup.context) };
    if (event.type !== undefined) wire.type = event.type;
    if (id !== undefined) wire.id = id;
    if (event.retry !== undefined) wire.retry = event.retry;
    if (event.comment !== undefined) wire.comment = event.comment;
    this.hooks.sent?.(wire);
    return encodeEvent(wire);
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
    this.#wake?.();
  }

  /**
   * Waits `ms` (or one event-loop turn for 0, so a zero-delay source never starves the worker); #wake ends it early
   * when the stream is ending or its connectionTimeout passed (the caller checks which). Plain timers and a callback,
   * not AbortSignals: this runs once per batch.
   */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        if (this.#wake === wake) this.#wake = undefined;
        if (ms > 0) clearTimeout(timer);
        else clearImmediate(immediate);
        resolve();
      };
      const timer = ms > 0 ? setTimeout(wake, ms) : undefined;
      const immediate = ms > 0 ? undefined : setImmediate(wake);
      this.#wake = wake;
    });
  }

  /** Waits for the socket to take what is buffered (back-pressure from a slow client); #wake ends it early. */
  #drain(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        if (this.#wake === wake) this.#wake = undefined;
        this.res.off('drain', wake);
        resolve();
      };
      this.res.on('drain', wake);
      this.#wake = wake;
    });
  }

  /** Before dropping the socket, let the socket take what was written, so the events before an abrupt end arrive. */
  async #flushed(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, END_TIMEOUT_MS)));
    await Promise.race([this.#lastWrite, timeout]);
    clearTimeout(timer);
  }
}

/** True when `emitter` emits one of `events`, false after `timeoutMs`; removes its listeners and timer either way. */
function waitForEvent(emitter: EventEmitter, events: string[], timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (result: boolean) => {
      clearTimeout(timer);
      for (const e of events) emitter.off(e, onEvent);
      resolve(result);
    };
    const onEvent = () => done(true);
    for (const e of events) emitter.on(e, onEvent);
    const timer = setTimeout(done, timeoutMs, false);
  });
}
