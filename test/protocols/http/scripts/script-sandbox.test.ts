import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox } from '../../../../src/protocols/http/scripts/script-sandbox.mjs';

// Timeouts are tested through the pool (script-pool.test.ts), in the threads they are meant for: interrupting a
// script's promise jobs here would corrupt the async-hook stack node:test keeps on this thread.

const INPUT = JSON.stringify({
  method: 'POST',
  path: '/orders/7',
  url: '/orders/7?x=1',
  query: { x: '1' },
  headers: { 'x-user': 'ann' },
  pathParams: { id: '7' },
  body: { qty: 2 },
  rawBody: '{"qty":2}',
});

const run = (source: string, timeoutMs = 200) => createSandbox(source).run(INPUT, timeoutMs);

describe('script sandbox results (contract §3.4)', () => {
  const cases: [string, string, unknown][] = [
    ['reads every request field', 'return { body: [request.method, request.path, request.url, request.query.x, request.headers["x-user"], request.pathParams.id, request.body.qty, request.rawBody].join("|") }',
      { kind: 'result', body: 'POST|/orders/7|/orders/7?x=1|1|ann|7|2|{"qty":2}' }],
    ['sends a non-string body as compact JSON', 'return { body: { ok: true, n: [1, 2] } }', { kind: 'result', body: '{"ok":true,"n":[1,2]}', bodyIsJson: true }],
    ['sends null as JSON', 'return { body: null }', { kind: 'result', body: 'null', bodyIsJson: true }],
    ['keeps status and headers, values as strings', 'return { statusCode: 418, headers: { "X-N": 5, "X-S": "s" } }', { kind: 'result', statusCode: 418, headers: [['X-N', '5'], ['X-S', 's']] }],
    ['leaves out an undefined body', 'return { statusCode: 202 }', { kind: 'result', statusCode: 202 }],
    ['awaits promises', 'const v = await Promise.resolve(3); return { body: String(v) }', { kind: 'result', body: '3' }],
    ['reports a thrown Error by its message', 'throw new Error("out of stock")', { kind: 'error', message: 'out of stock' }],
    ['reports a thrown string', 'throw "nope"', { kind: 'error', message: 'nope' }],
    ['reports a rejected await', 'await Promise.reject(new TypeError("bad"))', { kind: 'error', message: 'bad' }],
    ['refuses no return value', '', { kind: 'error', message: 'script must return an object {statusCode?, headers?, body?}, got undefined' }],
    ['refuses a number', 'return 5', { kind: 'error', message: 'script must return an object {statusCode?, headers?, body?}, got number' }],
    ['refuses null', 'return null', { kind: 'error', message: 'script must return an object {statusCode?, headers?, body?}, got null' }],
    ['refuses an array', 'return [1]', { kind: 'error', message: 'script must return an object {statusCode?, headers?, body?}, got an array' }],
    ['refuses a status out of range', 'return { statusCode: 99 }', { kind: 'error', message: 'script returned an invalid statusCode: 99' }],
    ['refuses a header name HTTP cannot carry', 'return { headers: { "a b": "1" } }', { kind: 'error', message: 'script returned an invalid header name: a b' }],
    ['refuses a body JSON cannot encode', 'return { body: () => 1 }', { kind: 'error', message: 'script body cannot be sent as JSON (function)' }],
    ['reports a promise that can never settle', 'await new Promise(() => {})', { kind: 'pending' }],
  ];
  for (const [name, source, expected] of cases) {
    test(name, () => assert.deepEqual(run(source), expected));
  }
});

describe('script sandbox isolation', () => {
  const cases: [string, string, unknown][] = [
    ['sees no Node globals', 'return { body: [typeof process, typeof require, typeof module, typeof setTimeout, typeof Buffer, typeof fetch].join() }',
      { kind: 'result', body: 'undefined,undefined,undefined,undefined,undefined,undefined' }],
    ['has the standard built-ins', 'return { body: [typeof JSON, typeof Math, typeof Map, typeof Promise, typeof Intl].join() }',
      { kind: 'result', body: 'object,object,function,function,object' }],
    ['cannot eval', 'return { body: eval("1 + 1") }', { kind: 'error', message: 'Code generation from strings disallowed for this context' }],
    ['cannot reach another realm through constructors', 'return { body: this.constructor.constructor("return process")() }',
      { kind: 'error', message: 'Code generation from strings disallowed for this context' }],
    ['cannot reach another realm through the request', 'return { body: request.constructor.constructor("return process")() }',
      { kind: 'error', message: 'Code generation from strings disallowed for this context' }],
    ['cannot import', 'await import("node:fs"); return {}', { kind: 'error', message: 'A dynamic import callback was not specified.' }],
  ];
  for (const [name, source, expected] of cases) {
    test(name, () => assert.deepEqual(run(source), expected));
  }

  test('keeps its results honest when the script replaces the built-ins its runner uses', () => {
    const sandbox = createSandbox('JSON.stringify = () => "x"; Promise.prototype.then = () => {}; globalThis.__mockd_run = null; return { body: [1] }');
    assert.deepEqual(sandbox.run(INPUT, 200), { kind: 'result', body: '[1]', bodyIsJson: true });
    assert.deepEqual(sandbox.run(INPUT, 200), { kind: 'result', body: '[1]', bodyIsJson: true });
  });

  test('refuses a body that would close the function early', () => {
    assert.throws(() => createSandbox('}); (async function () {'), SyntaxError);
  });

  test('keeps one global scope per script across runs', () => {
    const sandbox = createSandbox('globalThis.n = (globalThis.n ?? 0) + 1; return { body: String(n) }');
    assert.deepEqual([sandbox.run(INPUT, 200), sandbox.run(INPUT, 200)].map((o) => (o as { body: string }).body), ['1', '2']);
  });
});
