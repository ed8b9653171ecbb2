// HTTP/1.1 keep-alive load (the fallback when wrk and h2load are missing): each connection is a raw TCP socket that
// sends one fixed GET, reads exactly one response (status line, Content-Length or chunked body) and sends the next.
// A raw socket costs the generator far less per request than http.request, so more of the CPU left over goes to
// the server under test.

import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { OpenLoad, Recorder } from './recorder.ts';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long stop() waits for operations already under way to finish (see stop()). */
const DRAIN_MS = 2000;

export interface HttpLoadConfig {
  url: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');

class Connection {
  #buffer: Buffer | undefined;
  #sentAt = 0;
  running = false;
  closed = false;

  constructor(
    readonly socket: net.Socket,
    readonly request: Buffer,
    readonly rec: Recorder,
  ) {
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      if (this.running) rec.error();
    });
  }

  /** A request is out and its response has not all arrived. */
  inFlight = false;

  send(): void {
    if (!this.running || this.closed) return;
    this.#sentAt = performance.now();
    this.inFlight = true;
    this.socket.write(this.request);
  }

  #onData(chunk: Buffer): void {
    let buf = this.#buffer ? Buffer.concat([this.#buffer, chunk]) : chunk;
    for (;;) {
      const length = responseLength(buf);
      if (length === undefined) break;
      if (length < 0) {
        this.rec.error();
        this.socket.destroy();
        return;
      }
      const status = (buf[9]! - 48) * 100 + (buf[10]! - 48) * 10 + (buf[11]! - 48);
      if (status >= 200 && status < 400) this.rec.done(this.#sentAt);
      else this.rec.error();
      buf = buf.subarray(length);
      this.inFlight = false;
      this.send();
    }
    this.#buffer = buf.length > 0 ? buf : undefined;
  }
}

/** Bytes of the first complete response in `buf`, undefined when it is not all there yet, -1 when unparseable. */
export function responseLength(buf: Buffer): number | undefined {
  const headerEnd = buf.indexOf(HEADER_END);
  if (headerEnd < 0) return undefined;
  const head = buf.toString('latin1', 0, headerEnd);
  if (!head.startsWith('HTTP/1.')) return -1;
  const bodyStart = headerEnd + 4;
  const contentLength = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (contentLength) {
    const end = bodyStart + Number(contentLength[1]);
    return buf.length >= end ? end : undefined;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const end = buf.indexOf(CHUNKED_END, bodyStart - 2);
    return end < 0 ? undefined : end + CHUNKED_END.length;
  }
  return bodyStart;
}

export const openLoad: OpenLoad<HttpLoadConfig> = async (config, share, rec) => {
  const url = new URL(config.url);
  const request = Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: mockd-bench\r\n\r\n`);
  const connections = await Promise.all(
    Array.from({ length: share.connections }, () => connect(url, request, rec)),
  );
  return {
    start() {
      for (const c of connections) {
        c.running = true;
        c.send();
      }
    },
    async stop() {
      for (const c of connections) c.running = false;
      // Responses still on their way are read before the sockets go, so the generator's total is every request the
      // target answered (GET /metrics must show the same number); a connection that hangs is not waited for long.
      const deadline = performance.now() + DRAIN_MS;
      while (connections.some((c) => c.inFlight && !c.closed) && performance.now() < deadline) await sleep(5);
      for (const c of connections) c.socket.destroy();
    },
  };
};

function connect(url: URL, request: Buffer, rec: Recorder): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port), noDelay: true });
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(new Connection(socket, request, rec));
    });
    socket.once('error', reject);
  });
}
