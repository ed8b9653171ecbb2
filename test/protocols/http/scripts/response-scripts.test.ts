// Response scripts through a real mockd and fetch (contract §3.4): overrides, errors, timeouts, isolation, and the
// mock port staying responsive while a script spins in the pool.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../../../helpers/mockd.ts';
import { fetchWithTimeout } from '../../../helpers/wait.ts';

const m = await startMockd({ after });

const scripted = (path: string, script: string, response: Record<string, unknown> = {}) =>
  m.createMock({ http: { matcher: { path }, response: { statusCode: 200, script, ...response } } });

const get = (path: string, init?: RequestInit) => fetchWithTimeout(m.mockUrl + path, { signal: AbortSignal.timeout(15_000), ...init });

async function timed(path: string, init?: RequestInit): Promise<{ res: Response; text: string; ms: number }> {
  const start = performance.now();
  const res = await get(path, init);
  const text = await res.text();
  return { res, text, ms: performance.now() - start };
}

describe('script results', () => {
  test('overrides the status, merges headers over the mock\'s and replaces the body with JSON', async () => {
    await scripted(
      '/orders/{id}',
      'return { statusCode: 201, headers: { "x-both": "script", "X-Order": request.pathParams.id }, body: { id: request.pathParams.id, qty: request.body.qty } }',
      { headers: { 'X-Mock': 'm', 'X-Both': 'mock' }, body: 'mock body' },
    );
    const res = await get('/orders/7', { method: 'POST', body: '{"qty":3}' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-mock'), 'm');
    assert.equal(res.headers.get('x-both'), 'script');
    assert.equal(res.headers.get('x-order'), '7');
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(await res.text(), '{"id":"7","qty":3}');
  });

  test('hands the script the whole request', async () => {
    await scripted('/echo/{name}', 'return { body: request }');
    const res = await get('/echo/ann?a=1&a=2&b=x', { method: 'PUT', headers: { 'X-Trace': 't1' }, body: '{"k":[1]}' });
    const request = await res.json();
    assert.equal(request.method, 'PUT');
    assert.equal(request.path, '/echo/ann');
    assert.equal(request.url, '/echo/ann?a=1&a=2&b=x');
    assert.deepEqual(request.query, { a: '1', b: 'x' });
    assert.equal(request.headers['x-trace'], 't1');
    assert.deepEqual(request.pathParams, { name: 'ann' });
    assert.deepEqual(request.body, { k: [1] });
    assert.equal(request.rawBody, '{"k":[1]}');
    const text = await (await get('/echo/bob', { method: 'POST', body: 'not json' })).json();
    assert.equal(text.body, null);
    assert.equal(text.rawBody, 'not json');
  });

  test("keeps the mock's templated body and headers when the script returns only a status", async () => {
    await scripted('/keep', 'return { statusCode: 202 }', { headers: { 'X-Path': '{{request.path}}' }, body: { p: '{{request.path}}' } });
    const res = await get('/keep');
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('x-path'), '/keep');
    assert.equal(await res.text(), '{"p":"/keep"}');
  });

  test('sends a string body as it is, untemplated, with Content-Type detected unless a header sets it', async () => {
    await scripted('/xml', 'return { body: "<a>{{uuid}}</a>" }');
    const xml = await get('/xml');
    assert.equal(xml.headers.get('content-type'), 'application/xml');
    assert.equal(await xml.text(), '<a>{{uuid}}</a>');
    await scripted('/csv', 'return { headers: { "content-type": "text/csv" }, body: "a,b" }', { headers: { 'Content-Type': 'text/plain' } });
    const csv = await get('/csv');
    assert.equal(csv.headers.get('content-type'), 'text/csv');
    assert.equal(await csv.text(), 'a,b');
  });

  test('waits delayMs after the script, outside its timeout', async () => {
    await scripted('/slow-script', 'return { body: "done" }', { delayMs: 500, scriptTimeoutMs: 300 });
    const { res, text, ms } = await timed('/slow-script');
    assert.equal(res.status, 200);
    assert.equal(text, 'done');
    assert.ok(ms >= 495, `took ${ms} ms`);
  });

  test('runs the new script once its mock is updated', async () => {
    const mock = await scripted('/versioned', 'return { body: "v1" }');
    assert.equal(await (await get('/versioned')).text(), 'v1');
    const r = await m.api(`/mocks/${mock.id}`, { method: 'PUT', body: { http: { matcher: { path: '/versioned' }, response: { statusCode: 200, script: 'return { body: "v2" }' } } } });
    assert.equal(r.status, 200);
    for (let i = 0; i < 4; i++) assert.equal(await (await get('/versioned')).text(), 'v2');
  });
});

describe('script failures', () => {
  test('answers 500 script_error with the message of a throw', async () => {
    await scripted('/throws', 'throw new Error("inventory offline")');
    const res = await get('/throws');
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: 'script_error', message: 'inventory offline' });
  });

  test('answers 500 script_error when the script returns something other than an object', async () => {
    for (const [path, script] of [['/returns-number', 'return 42'], ['/returns-nothing', 'request.path']]) {
      await scripted(path, script);
      const res = await get(path);
      assert.equal(res.status, 500);
      const body = await res.json();
      assert.equal(body.error, 'script_error');
      assert.match(body.message, /must return an object/);
    }
  });

  test('answers 504 script_timeout with the configured milliseconds', async () => {
    await scripted('/never', 'await new Promise(() => {})', { scriptTimeoutMs: 300 });
    const { res, text, ms } = await timed('/never');
    assert.equal(res.status, 504);
    assert.deepEqual(JSON.parse(text), { error: 'script_timeout', message: 'script exceeded 300 ms' });
    assert.ok(ms >= 295, `took ${ms} ms`);
  });

  test('refuses a script with a syntax error on create', async () => {
    const r = await m.api('/mocks', { method: 'POST', body: { http: { matcher: { path: '/bad' }, response: { statusCode: 200, script: 'return {' } } } });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'http.response.script');
  });
});

describe('script isolation', () => {
  test('sees no require, process, import or file system', async () => {
    await scripted('/globals', 'return { body: { process: typeof process, require: typeof require, global: typeof global, setTimeout: typeof setTimeout } }');
    assert.deepEqual(await (await get('/globals')).json(), { process: 'undefined', require: 'undefined', global: 'undefined', setTimeout: 'undefined' });
    await scripted('/import', 'const fs = await import("node:fs"); return { body: String(fs.readFileSync) }');
    const imported = await get('/import');
    assert.equal(imported.status, 500);
    assert.equal((await imported.json()).error, 'script_error');
    await scripted('/escape', 'return { body: this.constructor.constructor("return typeof process")() }');
    const escaped = await get('/escape');
    assert.equal(escaped.status, 500);
    assert.match((await escaped.json()).message, /Code generation from strings disallowed/);
  });

  test('keeps answering plain and scripted mocks while a script loops forever', async (t) => {
    await m.createMock({ http: { matcher: { path: '/plain' }, response: { statusCode: 200, body: { ok: true } } } });
    await scripted('/quick', 'return { body: { n: Number(request.query.n) } }');
    await scripted('/spin', 'while (true) {}');
    // Warm the connection pool and the quick script's sandbox, so the timings below measure only the wait.
    await timed('/plain');
    await timed('/quick?n=0');

    const spinStart = performance.now();
    const spin = timed('/spin');
    const plain: number[] = [];
    const quick: number[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await timed('/plain');
      assert.equal(r.text, '{"ok":true}');
      plain.push(r.ms);
    }
    for (let i = 1; i <= 10; i++) {
      const r = await timed(`/quick?n=${i}`);
      assert.equal(r.text, `{"n":${i}}`);
      quick.push(r.ms);
    }
    const duringSpin = performance.now() - spinStart;
    const spun = await spin;
    t.diagnostic(`plain ms: ${plain.map((n) => n.toFixed(1)).join(' ')}`);
    t.diagnostic(`scripted ms: ${quick.map((n) => n.toFixed(1)).join(' ')}`);
    t.diagnostic(`loop answered after ${spun.ms.toFixed(0)} ms; the 30 other requests took ${duringSpin.toFixed(0)} ms`);

    // A listener blocked by the loop would answer only after its 1000 ms timeout; the bound leaves room for a loaded
    // machine (typical figures are a few ms).
    assert.ok(duringSpin < spun.ms, 'the other requests were answered while the loop ran');
    assert.ok(Math.max(...plain) < 300, `plain latencies ${plain.map((n) => n.toFixed(1)).join(', ')}`);
    assert.ok(Math.max(...quick) < 300, `scripted latencies ${quick.map((n) => n.toFixed(1)).join(', ')}`);
    assert.equal(spun.res.status, 504);
    assert.deepEqual(JSON.parse(spun.text), { error: 'script_timeout', message: 'script exceeded 1000 ms' });
    assert.ok(spun.ms >= 995, `loop answered after ${spun.ms} ms`);

    // The pool survives: scripts still run, the looping one included (and it times out again).
    assert.equal((await timed('/quick?n=99')).text, '{"n":99}');
    const again = await timed('/spin');
    assert.equal(again.res.status, 504);
  });
});
