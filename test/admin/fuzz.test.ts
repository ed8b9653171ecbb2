// Hostile input against the admin API (issue: reliability). Every request below is invalid by construction; each
// must get a 4xx with an {error, message} body, no worker may restart, and the mock list must not change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../helpers/mockd.ts';

function prng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

const VALID = {
  http: { type: 'http', http: { matcher: { method: 'GET', path: '/ok' }, response: { statusCode: 200, body: 'ok' } } },
  sse: { type: 'http', http: { matcher: { path: '/sse' }, sse: { events: [{ data: 'x' }] } } },
  websocket: { type: 'websocket', websocket: { path: '/ws-fuzz' } },
  mqtt: { type: 'mqtt', mqtt: { port: 0, topics: [{ topic: 'a/b' }] } },
  grpc: { type: 'grpc', grpc: { port: 0, protoContent: 'syntax = "proto3"; package p; service S { rpc M (R) returns (R); } message R { string a = 1; }', services: { 'p.S': { methods: { M: { response: { a: 'x' } } } } } } },
};

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const junkValues = [null, true, false, 0, -1, 1e308, 'str', '', [], {}, [1, 'a'], { nested: { deep: [null] } }, 'x'.repeat(100_000)];

/** An id that breaks a create (a PUT ignores the body's id: the path's id wins). */
const ID_BREAKER = (r: () => number) => ({ ...clone(VALID.http), id: ['-x', 'a b', '', 'x'.repeat(200), '../etc'][Math.floor(r() * 5)] });

/** Mutations that each make a valid mock invalid. */
const BREAKERS: ((r: () => number) => unknown)[] = [
  () => ({ ...clone(VALID.http), http: { matcher: { path: '/ok' }, response: { statusCode: 99 } } }),
  () => ({ ...clone(VALID.http), http: { matcher: { path: '/ok' }, response: { statusCode: '200' } } }),
  () => ({ ...clone(VALID.http), http: { matcher: { pathPattern: '(unclosed' }, response: { statusCode: 200 } } }),
  () => ({ ...clone(VALID.http), http: { matcher: { path: '/a', bodyPattern: '*bad' }, response: { statusCode: 200 } } }),
  () => ({ ...clone(VALID.http), http: { matcher: { path: 'no-slash' }, response: { statusCode: 200 } } }),
  () => ({ ...clone(VALID.http), http: { matcher: {}, response: { statusCode: 200 } } }),
  () => ({ ...clone(VALID.http), http: { matcher: { path: '/a' }, response: { statusCode: 200, bodyFile: '../../etc/passwd' } } }),
  () => ({ ...clone(VALID.http), http: { matcher: { path: '/a' }, response: { statusCode: 200, script: 'return {{{' } } }),
  () => ({ ...clone(VALID.http), http: { matcher: { path: '/a' }, response: { statusCode: 200, delayMs: -5 } } }),
  () => ({ ...clone(VALID.sse), http: { matcher: { path: '/sse' }, sse: {} } }),
  () => ({ ...clone(VALID.sse), http: { matcher: { path: '/sse' }, sse: { events: [{ data: 'x' }], lifecycle: { keepaliveInterval: 2 } } } }),
  () => ({ type: 'websocket', websocket: { path: 'nope' } }),
  () => ({ type: 'websocket', websocket: { path: '/w', matchers: [{ match: { type: 'regex', value: '([' } }] } }),
  () => ({ type: 'mqtt', mqtt: { port: 70000, topics: [] } }),
  () => ({ type: 'mqtt', mqtt: { port: -1 } }),
  () => ({ type: 'mqtt', mqtt: { port: 0, topics: [{ topic: 'a/+', messages: [{ payload: 'x' }] }] } }),
  () => ({ type: 'mqtt', mqtt: { port: 0, topics: [{ topic: 't', qos: 3 }] } }),
  () => ({ type: 'grpc', grpc: { port: 0, protoContent: 'syntax = "proto3"; service {' } }),
  () => ({ type: 'grpc', grpc: { port: 0, protoContent: VALID.grpc.grpc.protoContent, services: { 'p.Missing': { methods: { M: {} } } } } }),
  () => ({ type: 'grpc', grpc: { port: 0, protoFile: '/does/not/exist.proto' } }),
  () => ({ type: 'grpc', grpc: { port: 0 } }),
  (r) => ({ type: ['soap', 'graphql', 42, null, ''][Math.floor(r() * 5)], soap: {} }),
  (r) => ({ name: junkValues[Math.floor(r() * junkValues.length)] }),
  (r) => junkValues[Math.floor(r() * 11)],
  (r) => ({ ...clone(VALID.http), enabled: ['yes', 1, null][Math.floor(r() * 3)] }),
  (r) => ({ ...clone(VALID.http), http: junkValues[Math.floor(r() * 11)] }),
  () => ({ ...clone(VALID.http), websocket: { path: '/x' } }),
  () => ({ type: 'http', http: { matcher: { path: '/a', headers: { a: 1 } }, response: { statusCode: 200 } } }),
];

const RAW_BODIES = ['{', '{"a":', 'nul', '[1,2', '\u0000\u0001', '{"type":"http","http":{"matcher":{"path":"/x"},"response":{"statusCode":200}}', ''];

test('500 hostile admin requests get 4xx {error, message} bodies, change nothing and crash no worker', async (t) => {
  const m = await startMockd(t);
  for (const valid of Object.values(VALID)) await m.createMock(valid);
  const ids: string[] = (await m.api('/mocks')).body.mocks.map((x: any) => x.id);
  const before = JSON.stringify((await m.api('/mocks')).body.mocks);
  const restartsBefore = JSON.stringify((await m.api('/health')).body.workers);
  const r = prng(20261126);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;

  const requests: { method: string; path: string; body?: unknown }[] = [];
  const kindsUsed = new Set<number>();
  const breakersUsed = new Set<number>();
  for (let i = 0; i < 520; i++) {
    const kind = Math.floor(r() * 10);
    kindsUsed.add(kind);
    const b = Math.floor(r() * BREAKERS.length);
    breakersUsed.add(b);
    const broken = BREAKERS[b]!(r);
    if (kind < 4) requests.push({ method: 'POST', path: '/mocks', body: r() < 0.1 ? ID_BREAKER(r) : broken });
    else if (kind === 4) requests.push({ method: 'PUT', path: `/mocks/${pick(ids)}`, body: broken });
    else if (kind === 5) requests.push({ method: 'PATCH', path: `/mocks/${pick(ids)}`, body: pick([{ enabled: 'no' }, { name: 5 }, { http: null }, [], { grpc: { port: 'x' } }, { mqtt: { port: 99999 } }]) });
    else if (kind === 6) requests.push({ method: 'POST', path: '/mocks/bulk', body: [clone(VALID.http), broken] });
    else if (kind === 7) requests.push({ method: pick(['POST', 'PUT', 'PATCH']), path: pick(['/mocks', `/mocks/${pick(ids)}`, '/mocks/bulk']), body: pick(RAW_BODIES) });
    else if (kind === 8) requests.push({ method: 'POST', path: '/requests/wait', body: pick([{ timeoutMs: 999999 }, { count: 0 }, { filter: { protocol: 'smtp' } }, { filter: 'x' }, { filter: { matched: 'maybe' } }]) });
    else requests.push({ method: 'POST', path: '/websocket/connections/ws-1/send', body: pick([{ type: 'binary', data: '!!' }, { type: 'video', data: 'x' }, { data: 5 }, {}]) });
  }

  // The run covers what the title claims: every kind of request and every way of breaking a mock was sent.
  assert.equal(requests.length, 520);
  assert.deepEqual([...kindsUsed].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(breakersUsed.size, BREAKERS.length, `breakers never used: ${BREAKERS.map((_, i) => i).filter((i) => !breakersUsed.has(i))}`);

  const codes = new Set<string>();
  for (const req of requests) {
    const res = await m.api(req.path, { method: req.method, body: typeof req.body === 'string' ? req.body : JSON.stringify(req.body) });
    const label = `${req.method} ${req.path} ${JSON.stringify(req.body)?.slice(0, 200)}`;
    assert.ok(res.status >= 400 && res.status < 500, `${res.status} for ${label}: ${JSON.stringify(res.body)}`);
    assert.equal(typeof res.body?.error, 'string', label);
    assert.equal(typeof res.body?.message, 'string', label);
    codes.add(`${res.status} ${res.body.error}`);
  }
  // Hostile input is refused for what it is, not by one catch-all answer.
  assert.ok(codes.has('400 validation_error') && codes.has('400 invalid_json'), JSON.stringify([...codes]));
  assert.equal(JSON.stringify((await m.api('/mocks')).body.mocks), before, 'the mock list is exactly what it was');
  assert.equal(JSON.stringify((await m.api('/health')).body.workers), restartsBefore, 'no worker restarted');
});
