// HTTPS load (README "TLS"), two kinds: keep-alive GETs over TLS connections opened once (the http generator's
// request/response loop over tls.connect), and new handshakes: every operation opens a TLS connection, sends one GET
// with `Connection: close`, reads the response and closes, so the rate is connections per second.

import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { OpenLoad, Recorder } from './recorder.ts';
import { responseLength } from './http.ts';

export interface HttpsLoadConfig {
  url: string;
  /** PEM of the CA the server's certificate chains to. */
  ca: string;
}

function connectTls(url: URL, ca: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca, servername: 'localhost', ALPNProtocols: ['http/1.1'] }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Reads responses off `socket`; `onResponse(ok)` runs once per complete response. */
function readResponses(socket: tls.TLSSocket, onResponse: (ok: boolean) => void): void {
  let buf: Buffer | undefined;
  socket.on('data', (chunk: Buffer) => {
    buf = buf ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      const length = responseLength(buf);
      if (length === undefined) break;
      if (length < 0) {
        onResponse(false);
        socket.destroy();
        return;
      }
      const status = (buf[9]! - 48) * 100 + (buf[10]! - 48) * 10 + (buf[11]! - 48);
      onResponse(status >= 200 && status < 400);
      buf = buf.subarray(length);
    }
    if (buf.length === 0) buf = undefined;
  });
}

export const openKeepAliveLoad: OpenLoad<HttpsLoadConfig> = async (config, share, rec) => {
  const url = new URL(config.url);
  const request = Buffer.from(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: mockd-bench\r\n\r\n`);
  let running = false;
  const sockets = await Promise.all(Array.from({ length: share.connections }, () => connectTls(url, config.ca)));
  const sentAt = new Map<tls.TLSSocket, number>();
  const send = (s: tls.TLSSocket) => {
    if (!running || s.destroyed) return;
    sentAt.set(s, performance.now());
    s.write(request);
  };
  for (const s of sockets) {
    s.on('error', () => undefined);
    s.on('close', () => running && rec.error());
    readResponses(s, (ok) => {
      if (ok) rec.done(sentAt.get(s)!);
      else rec.error();
      send(s);
    });
  }
  return {
    start() {
      running = true;
      for (const s of sockets) send(s);
    },
    async stop() {
      running = false;
      for (const s of sockets) s.destroy();
    },
  };
};

export const openHandshakeLoad: OpenLoad<HttpsLoadConfig> = async (config, share, rec) => {
  const url = new URL(config.url);
  const request = Buffer.from(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: mockd-bench\r\nConnection: close\r\n\r\n`);
  let running = false;
  const loop = async (): Promise<void> => {
    while (running) {
      const started = performance.now();
      await oneConnection(url, config.ca, request, rec, started);
    }
  };
  const loops: Promise<void>[] = [];
  return {
    start() {
      running = true;
      for (let i = 0; i < share.connections; i++) loops.push(loop());
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
};

/** One TLS handshake, one GET, one response, close; counts one operation from before the handshake. */
function oneConnection(url: URL, ca: string, request: Buffer, rec: Recorder, started: number): Promise<void> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      if (ok) rec.done(started);
      else rec.error();
      socket.destroy();
      resolve();
    };
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca, servername: 'localhost', ALPNProtocols: ['http/1.1'] }, () => socket.write(request));
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
    socket.setTimeout(10_000, () => finish(false));
    readResponses(socket, (ok) => finish(ok));
  });
}
