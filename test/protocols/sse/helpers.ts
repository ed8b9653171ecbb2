// Test clients for SSE streams: a fetch-based reader that keeps the exact text received, and a raw HTTP/1.1 socket
// for what fetch hides (the final zero-length chunk).
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import type { SseSpec } from '../../../src/mocks/types.ts';
import { deferred, nextEvent, WAIT_MS, within } from '../../helpers/wait.ts';

type Ctx = { after(fn: () => unknown): void };

/** An http mock with an `sse` block on `/<id>`. */
export function sseMock(id: string, sse: SseSpec, extra: Record<string, unknown> = {}) {
  return { id, type: 'http', http: { matcher: { path: `/${id}` }, sse }, ...extra };
}

/** A source that never runs out: `tick-1`, `tick-2`, … every `ms`. */
export function ticking(ms = 20, more: SseSpec = {}): SseSpec {
  return { generator: { type: 'sequence', sequence: { format: 'tick-%d' } }, timing: { fixedDelay: ms }, ...more };
}

export type StreamEnd = 'end' | 'error';

/** Reads a stream body as text as it arrives. `ended` says how it finished: cleanly or by a broken connection. */
export class StreamReader {
  text = '';
  readonly ended: Promise<StreamEnd>;
  #waiters = new Set<() => void>();
  #end: StreamEnd | undefined;

  constructor(readonly response: Response) {
    this.ended = this.#pump();
  }

  async #pump(): Promise<StreamEnd> {
    const decoder = new TextDecoder();
    const reader = this.response.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return this.#finish('end');
        this.text += decoder.decode(value, { stream: true });
        this.#notify();
      }
    } catch {
      return this.#finish('error');
    }
  }

  #finish(end: StreamEnd): StreamEnd {
    this.#end = end;
    this.#notify();
    return end;
  }

  #notify(): void {
    for (const w of this.#waiters) w();
  }

  /** Resolves with the text once `predicate` holds (a string means "the text includes it"); rejects after `ms`. */
  until(predicate: string | ((text: string) => boolean), ms = 3000): Promise<string> {
    const test = typeof predicate === 'string' ? (t: string) => t.includes(predicate) : predicate;
    return new Promise((resolve, reject) => {
      const check = () => {
        if (test(this.text)) return done(() => resolve(this.text));
        if (this.#end) return done(() => reject(new Error(`stream ended (${this.#end}) before the condition held; text: ${JSON.stringify(this.text)}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`condition not met within ${ms} ms; text: ${JSON.stringify(this.text)}`))), ms);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        settle();
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** How the stream ended, within `ms`. */
  async end(ms = 3000): Promise<StreamEnd> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`stream did not end within ${ms} ms; text: ${JSON.stringify(this.text)}`)), ms);
    });
    try {
      return await Promise.race([this.ended, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** How many events (`data:` blocks) have arrived. */
  get eventCount(): number {
    return this.text.split('\n\n').filter((block) => block.split('\n').some((l) => l.startsWith('data:'))).length;
  }
}

/** Opens a stream with fetch; the client side is closed when the test ends. */
export async function openStream(t: Ctx, url: string, headers: Record<string, string> = {}): Promise<StreamReader> {
  const controller = new AbortController();
  t.after(() => controller.abort());
  const timeout = setTimeout(() => controller.abort(), 5000);
  // The timer bounds the wait for the headers; the body stays open until the test ends it.
  const response = await fetch(url, { headers, signal: controller.signal });
  clearTimeout(timeout);
  return new StreamReader(response);
}

/** A raw HTTP/1.1 GET: every byte the server sends, chunk framing included. */
export async function rawGet(t: Ctx, port: number, path: string, headers: Record<string, string> = {}): Promise<RawClient> {
  const socket: Socket = connect(port, '127.0.0.1');
  t.after(() => socket.destroy());
  await nextEvent(socket, 'connect', `a connection to 127.0.0.1:${port}`);
  const lines = [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.write(lines.join('\r\n') + '\r\n\r\n');
  return new RawClient(socket);
}

export class RawClient {
  bytes = '';
  readonly #closed: Promise<unknown>;

  constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (this.bytes += d));
    socket.on('error', () => undefined);
    const closed = deferred();
    socket.once('close', () => closed.resolve());
    this.#closed = closed.promise;
  }

  /** Resolves with every byte received once the server has closed the connection; rejects after `ms`. */
  async closed(ms = WAIT_MS): Promise<string> {
    if (!this.socket.destroyed) await within(this.#closed, 'the server closing the connection', ms);
    return this.bytes;
  }

  get localPort(): number {
    return this.socket.localPort!;
  }

  /** Resolves once the bytes received satisfy `predicate`; rejects after `ms` or when the socket closes first. */
  async until(predicate: (bytes: string) => boolean, ms = 3000): Promise<string> {
    const deadline = AbortSignal.timeout(ms);
    while (!predicate(this.bytes)) {
      if (this.socket.destroyed) throw new Error(`socket closed; bytes: ${JSON.stringify(this.bytes)}`);
      const step = new AbortController();
      const signal = AbortSignal.any([deadline, step.signal]);
      try {
        await Promise.race([once(this.socket, 'data', { signal }), once(this.socket, 'close', { signal })]);
      } catch {
        throw new Error(`raw bytes did not match within ${ms} ms: ${JSON.stringify(this.bytes)}`);
      } finally {
        step.abort();
      }
    }
    return this.bytes;
  }
}
