// A small reader of the admin `/events` stream over fetch streaming, for black-box tests: it keeps the raw text and
// every parsed frame (with its arrival time), and lets a test take the next frame that fits a predicate, in order.

import { EventEmitter, once } from 'node:events';

export interface Frame {
  event: string;
  id: number;
  data: any;
  /** When the frame arrived (Date.now()). */
  at: number;
}

export class EventStreamClient {
  readonly frames: Frame[] = [];
  raw = '';
  ended = false;
  #cursor = 0;
  readonly #emitter = new EventEmitter();
  readonly #abort = new AbortController();

  private constructor(readonly response: Response) {}

  static async open(url: string): Promise<EventStreamClient> {
    const abort = new AbortController();
    // Bounded until the headers come; after that the stream stays open until close().
    const headers = setTimeout(() => abort.abort(new Error(`GET ${url} sent no headers within 5000 ms`)), 5000);
    const response = await fetch(url, { signal: abort.signal }).finally(() => clearTimeout(headers));
    const client = new EventStreamClient(response);
    client.#abort.signal.addEventListener('abort', () => abort.abort());
    void client.#pump();
    return client;
  }

  async #pump(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        this.raw += text;
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          this.#parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted by close(), or the server dropped the socket: both end the stream
    }
    this.ended = true;
    this.#emitter.emit('end');
  }

  #parse(block: string): void {
    const fields: Record<string, string> = {};
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon);
      fields[name] = fields[name] === undefined ? line.slice(colon + 1) : `${fields[name]}\n${line.slice(colon + 1)}`;
    }
    if (fields.event === undefined) return;
    const frame = { event: fields.event, id: Number(fields.id), data: JSON.parse(fields.data ?? 'null'), at: Date.now() };
    this.frames.push(frame);
    this.#emitter.emit('frame', frame);
  }

  /** The next frame after the previously taken one that fits `match`; rejects after `timeoutMs`. */
  async take(match: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const signal = AbortSignal.timeout(timeoutMs);
    for (;;) {
      for (let i = this.#cursor; i < this.frames.length; i++) {
        if (match(this.frames[i]!)) {
          this.#cursor = i + 1;
          return this.frames[i]!;
        }
      }
      if (this.ended) throw new Error('the event stream ended');
      try {
        await Promise.race([once(this.#emitter, 'frame', { signal }), once(this.#emitter, 'end', { signal })]);
      } catch {
        throw new Error(`no matching frame within ${timeoutMs} ms; got: ${this.frames.map((f) => f.event).join(', ')}`);
      }
    }
  }

  takeEvent(event: string, timeoutMs?: number): Promise<Frame> {
    return this.take((f) => f.event === event, timeoutMs);
  }

  /** Resolves once the server has ended the stream; rejects after `timeoutMs`. */
  async waitForEnd(timeoutMs = 5000): Promise<void> {
    if (this.ended) return;
    await once(this.#emitter, 'end', { signal: AbortSignal.timeout(timeoutMs) });
  }

  close(): void {
    this.#abort.abort();
  }
}
