// Shared setup for the WebSocket tests: WebSocket mocks, real `ws` clients on the mock port, and bounded waits for
// their messages, closes and refused upgrades. Nothing here sleeps: every wait is an event with a deadline.

import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { after } from 'node:test';
import WebSocket, { type ClientOptions } from 'ws';
import type { WebSocketSpec } from '../../../src/mocks/types.ts';
import { startMockd } from '../../helpers/mockd.ts';
import { deferred } from '../../helpers/wait.ts';

/** A WebSocket handshake on a loaded 2-core CI machine (pools, browsers and this file's neighbours share it). */
const HANDSHAKE_MS = 15_000;

export const WAIT_MS = 5000;

type Ctx = { after(fn: () => unknown): void };

/** One mockd for a whole test file, closed when the file's tests are done. Call at the module's top level. */
export async function startFileMockd(): Promise<Awaited<ReturnType<typeof startMockd>>> {
  const cleanups: (() => unknown)[] = [];
  after(async () => {
    for (const fn of cleanups) await fn();
  });
  return startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
}

export function wsMock(id: string, spec: Partial<WebSocketSpec> & { path: string }, extra: Record<string, unknown> = {}) {
  return { id, type: 'websocket', websocket: spec, ...extra };
}

/** `http://127.0.0.1:port` + path → `ws://127.0.0.1:port/path`. */
export function wsUrl(mockUrl: string, path: string): string {
  return mockUrl.replace(/^http/, 'ws') + path;
}

export interface Frame {
  data: Buffer;
  isBinary: boolean;
  text: string;
}

/** A connected client that queues what it receives, so no message is missed between awaits. */
export interface Client {
  ws: WebSocket;
  /** The next received frame, within a bound. */
  next(timeoutMs?: number): Promise<Frame>;
  /** Resolves with the close code and reason, within a bound. */
  closed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  /** Frames received and not yet taken by next(). */
  readonly pending: Frame[];
}

export async function connect(t: Ctx, url: string, protocols?: string | string[], options: ClientOptions = {}): Promise<Client> {
  const ws = new WebSocket(url, protocols, options);
  t.after(() => ws.terminate());
  const pending: Frame[] = [];
  const waiters: ((f: Frame) => void)[] = [];
  ws.on('message', (data: Buffer, isBinary) => {
    const frame = { data, isBinary, text: data.toString('utf8') };
    const w = waiters.shift();
    if (w) w(frame);
    else pending.push(frame);
  });
  // Awaited only through closed(), which bounds it.
  const closing = deferred<{ code: number; reason: string }>();
  ws.once('close', (code, reason) => closing.resolve({ code, reason: String(reason) }));
  // A refused upgrade fails at once, naming the answer; a handshake stalled by a loaded machine gets a wider bound.
  const refused = once(ws, 'unexpected-response', { signal: AbortSignal.timeout(HANDSHAKE_MS) }).then(async (args) => {
    const res = args[1] as IncomingMessage;
    let text = '';
    for await (const chunk of res) text += chunk;
    throw new Error(`the upgrade to ${url} was refused with ${res.statusCode}: ${text}`);
  });
  refused.catch(() => undefined);
  await Promise.race([once(ws, 'open', { signal: AbortSignal.timeout(HANDSHAKE_MS) }), refused]);
  return {
    ws,
    pending,
    next(timeoutMs = WAIT_MS) {
      const queued = pending.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(done), 1);
          reject(new Error(`no message within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (f: Frame) => {
          clearTimeout(timer);
          resolve(f);
        };
        waiters.push(done);
      });
    },
    closed(timeoutMs = WAIT_MS) {
      return bounded(closing.promise, timeoutMs, 'close');
    },
  };
}

/** Sends text and returns the next frame received. */
export async function roundTrip(client: Client, data: string | Buffer, binary = false): Promise<Frame> {
  client.ws.send(data, { binary });
  return client.next();
}

/** An upgrade the server refuses: its HTTP status and JSON body. */
export async function refusedUpgrade(url: string, protocols?: string | string[]): Promise<{ status: number; body: any }> {
  const ws = new WebSocket(url, protocols);
  ws.on('error', () => undefined);
  const admitted = once(ws, 'open', { signal: AbortSignal.timeout(HANDSHAKE_MS) }).then(() => {
    ws.terminate();
    throw new Error(`the upgrade to ${url} was admitted, not refused`);
  });
  admitted.catch(() => undefined);
  const [, res] = (await Promise.race([once(ws, 'unexpected-response', { signal: AbortSignal.timeout(HANDSHAKE_MS) }), admitted])) as [unknown, IncomingMessage];
  let text = '';
  for await (const chunk of res) text += chunk;
  ws.terminate();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.statusCode as number, body };
}

export function bounded<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
