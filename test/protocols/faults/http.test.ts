// HTTP faults per mock (README "Faults and chaos"), seen from raw sockets and fetch: a reset, an empty reply, a
// malformed chunk, random bytes; latency, an error rate and a bandwidth cap; and a mock with no faults untouched.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startFileMockd } from '../websocket/helpers.ts';
import { deferred, fetchWithTimeout, nextEvent, within } from '../../helpers/wait.ts';

const m = await startFileMockd();
const port = () => Number(new URL(m.mockUrl).port);

function httpMock(id: string, faults: unknown, body = 'ok') {
  return { id, type: 'http', http: { matcher: { path: `/${id}` }, response: { statusCode: 200, body } }, faults };
}

before(async () => {
  await m.createMock({ id: 'plain', type: 'http', http: { matcher: { path: '/plain' }, response: { statusCode: 200, body: 'plain' } } });
  await m.createMock(httpMock('reset', { fault: 'reset' }));
  await m.createMock(httpMock('empty', { fault: 'empty' }));
  await m.createMock(httpMock('malformed', { fault: 'malformed-chunk' }));
  await m.createMock(httpMock('garbage', { fault: 'random-data-then-close' }));
  await m.createMock(httpMock('slow', { latency: 250 }));
  await m.createMock(httpMock('failing', { errorRate: 1, errorStatus: 502 }));
  await m.createMock(httpMock('narrow', { bandwidth: 2000 }, 'x'.repeat(1000)));
});

/** Sends a raw GET and collects what comes back until the server closes; `error` is the socket error, if any. */
async function rawGet(path: string): Promise<{ bytes: Buffer; error?: NodeJS.ErrnoException }> {
  const socket: Socket = connect(port(), '127.0.0.1');
  await nextEvent(socket, 'connect');
  const chunks: Buffer[] = [];
  const done = deferred<NodeJS.ErrnoException | undefined>();
  socket.on('data', (c) => chunks.push(c));
  socket.on('error', (e) => done.resolve(e));
  socket.on('close', () => done.resolve(undefined));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  const error = await within(done.promise, `the server to end ${path}`);
  socket.destroy();
  return { bytes: Buffer.concat(chunks), ...(error && { error }) };
}

describe('fault kinds', () => {
  test('reset: the client reads ECONNRESET and no response', async () => {
    const { bytes, error } = await rawGet('/reset');
    assert.equal(error?.code, 'ECONNRESET');
    assert.equal(bytes.length, 0);
  });

  test('empty: the connection closes without one byte', async () => {
    const { bytes, error } = await rawGet('/empty');
    assert.equal(error, undefined);
    assert.equal(bytes.length, 0);
  });

  test('malformed-chunk: a 200 status line, then a body that is no chunk, then close', async () => {
    const { bytes } = await rawGet('/malformed');
    const text = bytes.toString('latin1');
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /Transfer-Encoding: chunked/);
    await assert.rejects(fetchWithTimeout(`${m.mockUrl}/malformed`).then((r) => r.text()));
  });

  test('random-data-then-close: bytes that are no HTTP response, then close', async () => {
    const { bytes } = await rawGet('/garbage');
    assert.ok(bytes.length > 0);
    assert.ok(!bytes.toString('latin1').startsWith('HTTP/'));
  });
});

describe('latency, errors and bandwidth', () => {
  test('latency delays the response; a mock without faults answers at once', async () => {
    let t0 = performance.now();
    assert.equal(await (await fetchWithTimeout(`${m.mockUrl}/slow`)).text(), 'ok');
    assert.ok(performance.now() - t0 >= 240, `slow took ${performance.now() - t0} ms`);
    t0 = performance.now();
    assert.equal(await (await fetchWithTimeout(`${m.mockUrl}/plain`)).text(), 'plain');
    assert.ok(performance.now() - t0 < 200, `plain took ${performance.now() - t0} ms`);
  });

  test('errorRate 1 answers errorStatus every time, journaled with that status', async () => {
    const r = await fetchWithTimeout(`${m.mockUrl}/failing`);
    assert.equal(r.status, 502);
    assert.equal((await r.json()).error, 'fault_injected');
    const entries = (await m.api('/requests?mockId=failing')).body.requests;
    assert.equal(entries.at(-1).http.statusCode ?? entries.at(-1).statusCode, 502);
  });

  test('a bandwidth cap paces the body: 1000 bytes at 2000 B/s take about half a second', async () => {
    const t0 = performance.now();
    const body = await (await fetchWithTimeout(`${m.mockUrl}/narrow`)).text();
    assert.equal(body.length, 1000);
    assert.ok(performance.now() - t0 >= 400, `took ${performance.now() - t0} ms`);
  });
});

describe('validation', () => {
  test('a connection-only kind on an http mock is refused naming the field', async () => {
    const r = await m.api('/mocks', { method: 'POST', body: httpMock('x1', { fault: 'goaway' }) });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'faults.fault');
  });

  test('errorRate above 1 is refused', async () => {
    const r = await m.api('/mocks', { method: 'POST', body: httpMock('x2', { errorRate: 1.5 }) });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'faults.errorRate');
  });

  test('a lognormal latency needs its median', async () => {
    const r = await m.api('/mocks', { method: 'POST', body: httpMock('x3', { latency: { type: 'lognormal', sigma: 0.3 } }) });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'faults.latency.median');
  });

  test('PATCH can add and remove a faults block', async () => {
    await m.createMock(httpMock('toggled', undefined));
    assert.equal((await m.api('/mocks/toggled', { method: 'PATCH', body: { faults: { errorRate: 1, errorStatus: 500 } } })).status, 200);
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/toggled`)).status, 500);
    assert.equal((await m.api('/mocks/toggled', { method: 'PATCH', body: { faults: null } })).status, 200);
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/toggled`)).status, 200);
  });
});
