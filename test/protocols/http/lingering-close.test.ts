// A body over 10 MiB gets 413 body_too_large at once, and the connection closes only after the rest of the body has
// been read and discarded (a lingering close, RFC 9112 §9.6), so clients that are still sending never lose the 413
// to a reset. Repeated, since the old abrupt close lost the answer in about half the runs.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { startMockd } from '../../helpers/mockd.ts';
import { deferred, fetchWithTimeout, nextEvent, within } from '../../helpers/wait.ts';

const SIZE = 11 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);
const RUNS = 20;

async function writeBody(write: (chunk: Buffer) => boolean, waitDrain: () => Promise<unknown>, isGone: () => boolean, chunked: boolean): Promise<void> {
  for (let sent = 0; sent < SIZE && !isGone(); sent += CHUNK.length) {
    const ok = write(chunked ? Buffer.concat([Buffer.from(`${CHUNK.length.toString(16)}\r\n`), CHUNK, Buffer.from('\r\n')]) : CHUNK);
    if (!ok) await waitDrain();
  }
}

/** The next 'drain' of a writable, or its 'close'. Bounded above the 20 s idle timeouts that destroy (and so close) it. */
function drainOrClose(writable: EventEmitter): Promise<void> {
  const done = deferred();
  writable.once('drain', () => done.resolve());
  writable.once('close', () => done.resolve());
  return within(done.promise, "a 'drain' or 'close'", 30_000);
}

/** A raw socket that sends the whole body whatever it hears; resolves with the status line or the error it met. */
function rawUpload(url: string, path: string, { close = false, chunked = false } = {}): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.setTimeout(20_000, () => socket.destroy(new Error('timeout')));
    let got = '';
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(`${e.code ?? e.message} after ${JSON.stringify(got.split('\r\n')[0])}`));
    socket.on('close', () => resolve(got.split('\r\n')[0] || 'closed without an answer'));
    socket.on('connect', async () => {
      const length = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${SIZE}`;
      socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n${length}\r\n${close ? 'Connection: close\r\n' : ''}\r\n`);
      const gone = () => socket.destroyed || !socket.writable;
      await writeBody((c) => socket.write(c), () => drainOrClose(socket), gone, chunked);
      if (!gone()) socket.end(chunked ? '0\r\n\r\n' : '');
    });
  });
}

/** Node's http client; resolves with the status code, or the error it met before the answer. */
function nodeUpload(url: string, path: string, agent: http.Agent | false, chunked = false): Promise<string> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = SIZE;
    const req = http.request(`${url}${path}`, { method: 'POST', headers, agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(`${res.statusCode} ${JSON.parse(body).error}`));
    });
    req.setMaxListeners(0);
    req.setTimeout(20_000, () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    void writeBody((c) => req.write(c), () => drainOrClose(req), () => req.destroyed, false).then(() => {
      if (!req.destroyed) req.end();
    });
  });
}

describe('a request body over 10 MiB', () => {
  let m: Awaited<ReturnType<typeof startMockd>>;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    m = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
    await m.createMock({ http: { matcher: { method: 'POST', path: '/upload' }, response: { statusCode: 200 } } });
  });
  after(async () => {
    for (const fn of cleanups) await fn();
  });

  for (const [port, path] of [['mock', '/upload'], ['admin', '/mocks']] as const) {
    describe(`on the ${port} port`, () => {
      const url = () => (port === 'mock' ? m.mockUrl : m.adminUrl);

      test(`Node's http client always reads the 413 (${RUNS} runs each, keep-alive and Connection: close)`, async () => {
        const keepAlive = new http.Agent({ keepAlive: true });
        const seen: string[] = [];
        for (let i = 0; i < RUNS; i++) {
          seen.push(await nodeUpload(url(), path, false));
          seen.push(await nodeUpload(url(), path, keepAlive));
        }
        keepAlive.destroy();
        assert.deepEqual(new Set(seen), new Set(['413 body_too_large']), seen.join(', '));
      });

      test(`a raw socket always reads the 413 and sees a clean close (${RUNS} runs each, with and without Connection: close, and chunked)`, async () => {
        const seen: string[] = [];
        for (let i = 0; i < RUNS; i++) {
          seen.push(await rawUpload(url(), path));
          seen.push(await rawUpload(url(), path, { close: true }));
          seen.push(await rawUpload(url(), path, { chunked: true }));
        }
        assert.deepEqual(new Set(seen), new Set(['HTTP/1.1 413 Payload Too Large']), seen.join(', '));
      });

      test('a client that stops sending is dropped after the lingering time', async () => {
        const { port: p } = new URL(url());
        const socket = connect(Number(p), '127.0.0.1');
        let got = '';
        socket.on('data', (d) => (got += d.toString('latin1')));
        await nextEvent(socket, 'connect');
        socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nContent-Type: application/json\r\nContent-Length: ${1024 ** 3}\r\n\r\n{"a":`);
        const started = Date.now();
        await new Promise((resolve, reject) => {
          socket.once('close', resolve);
          setTimeout(() => reject(new Error('still open after 15 s')), 15_000).unref();
        });
        assert.match(got, /^HTTP\/1\.1 413 Payload Too Large\r\n/);
        assert.ok(Date.now() - started >= 4000, `closed after ${Date.now() - started} ms, before the lingering time`);
      });
    });
  }

  test('mockd keeps serving afterwards', async () => {
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/upload`, { method: 'POST', body: '{}' })).status, 200);
    assert.equal((await fetchWithTimeout(`${m.adminUrl}/health`)).status, 200);
  });
});
