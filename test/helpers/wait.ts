// Bounded waits for tests: an event, a stream's end, a process's exit, a fetch, or any promise. Each rejects within
// a few seconds with a message naming what did not happen, so an unmet expectation fails instead of hanging the run.
// A test outside test/helpers awaits nothing unbounded (test/meta/test-rules.test.ts keeps that rule).

import type { ChildProcess } from 'node:child_process';
import { once, type EventEmitter } from 'node:events';

/** How long a test waits for something that should happen at once (a reply, an event) before failing. */
export const WAIT_MS = 5000;
/** The bound of `fetchWithTimeout`: the whole exchange, headers and body. */
export const FETCH_MS = 15_000;

/** An emitter in the loose sense: node:events' EventEmitter, an EventTarget, or a typed emitter (mqtt.js). */
type AnyEmitter = EventEmitter | EventTarget | { on(event: string, fn: (...args: any[]) => void): unknown };

/** Settles as `promise` does, or rejects after `ms` with "<what> did not happen within <ms> ms". */
export async function within<T>(promise: PromiseLike<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The arguments of the next `event` of `emitter`, within `ms`. Like `events.once`, it rejects if the emitter
 * emits 'error' first (unless 'error' is the event awaited).
 */
export async function nextEvent(emitter: AnyEmitter, event: string, what = `a '${event}' event`, ms = WAIT_MS): Promise<any[]> {
  // A timer of our own rather than AbortSignal.timeout, whose timer is unref'd: a wait with nothing else pending
  // would then end the process with the test unsettled instead of failing it.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return await once(emitter as EventEmitter, event, { signal: controller.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw new Error(`${what} did not happen within ${ms} ms`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** A promise with its resolve and reject outside it, for a callback that must fire; await it with `within`. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves once a Node readable (an http response, a child's stdout) has ended; rejects after `ms`. */
export async function streamEnd(stream: NodeJS.ReadableStream & { readableEnded?: boolean }, what = 'the stream to end', ms = WAIT_MS): Promise<void> {
  if (stream.readableEnded) return;
  await nextEvent(stream as unknown as EventEmitter, 'end', what, ms);
}

/**
 * Reads a web stream (a fetch body) to its end and returns the bytes as text; rejects after `ms` if the server
 * never ends it. Pass the reader when some of the stream was read already.
 */
export async function readToEnd(body: ReadableStream<Uint8Array> | ReadableStreamDefaultReader<Uint8Array>, what = 'the response body to end', ms = WAIT_MS): Promise<string> {
  const reader = 'getReader' in body ? body.getReader() : body;
  const decoder = new TextDecoder();
  let text = '';
  await within(
    (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
      }
    })(),
    what,
    ms,
  ).catch((err) => {
    void reader.cancel().catch(() => undefined);
    throw err;
  });
  return text + decoder.decode();
}

/** The exit of a child process (at once if it has exited), within `ms`: its code, or its signal. */
export async function processExit(child: ChildProcess, what = `process ${child.pid} to exit`, ms = WAIT_MS): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  const [code, signal] = await nextEvent(child, 'exit', what, ms);
  return { code, signal };
}

/**
 * `fetch` bounded as a whole (connecting, headers and reading the body) by `ms` and by `init.signal` if given.
 * On timeout it rejects, and a body read in progress fails, with "<METHOD> <url> got no complete answer within …".
 */
export function fetchWithTimeout(input: string | URL, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
  const { timeoutMs = FETCH_MS, ...rest } = init;
  const controller = new AbortController();
  const method = rest.method ?? 'GET';
  const timer = setTimeout(() => controller.abort(new Error(`${method} ${input} got no complete answer within ${timeoutMs} ms`)), timeoutMs);
  timer.unref();
  const signal = rest.signal ? AbortSignal.any([rest.signal, controller.signal]) : controller.signal;
  return fetch(input, { ...rest, signal });
}

/** Resolves on the next turn of the event loop: lets already-queued callbacks run; it waits for nothing else. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
