// The HTTP response engine through a real mockd and fetch (contract §3.2, §3.3): templates, Content-Type, bodyFile,
// delayMs, HEAD and the body limit.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMockd, tempDir } from '../../helpers/mockd.ts';
import { fetchWithTimeout } from '../../helpers/wait.ts';

// One mockd for the file (closed by the root `after`); each test adds mocks on paths of its own.
const m = await startMockd({ after });
const dir = tempDir({ after }, 'mockd-responder-');

const http = (path: string, response: Record<string, unknown>, method?: string) =>
  m.createMock({ http: { matcher: { path, ...(method ? { method } : {}) }, response } });

const get = (path: string, init?: RequestInit) => fetchWithTimeout(m.mockUrl + path, { signal: AbortSignal.timeout(10_000), ...init });

describe('templating in responses (contract §3.3)', () => {
  test('expands request data in headers and a string body', async () => {
    await http('/tpl/{id}', {
      statusCode: 200,
      headers: {
        'X-Method': '{{request.method}}',
        'X-Id': '{{request.pathParam.id}}',
        'X-Name': '{{upper(request.query.name)}}',
        'X-Token': '{{ request.header.X-Token }}',
      },
      body: 'path={{request.path}} url={{request.url}} raw={{request.rawBody}} ab={{request.body.a.b}} obj={{request.body.a}} lower={{lower "ABC"}} def={{default(request.query.missing, "fb")}} unknown=[{{no.such.thing}}]',
    }, 'POST');
    const res = await get('/tpl/42?name=ann&name=bob', { method: 'POST', headers: { 'x-token': 't-1' }, body: '{"a":{"b":7}}' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-method'), 'POST');
    assert.equal(res.headers.get('x-id'), '42');
    assert.equal(res.headers.get('x-name'), 'ANN');
    assert.equal(res.headers.get('x-token'), 't-1');
    assert.equal(
      await res.text(),
      'path=/tpl/42 url=/tpl/42?name=ann&name=bob raw={"a":{"b":7}} ab=7 obj={"b":7} lower=abc def=fb unknown=[]',
    );
  });

  test('expands generated values in the strings of a JSON body and keeps its other values', async () => {
    await http('/gen', {
      statusCode: 200,
      headers: { 'X-Request-Id': '{{uuid}}' },
      body: {
        now: '{{now}}', unix: '{{timestamp}}', unixMs: '{{timestamp.unix_ms}}', iso: '{{timestamp.iso}}',
        uuid: '{{uuid}}', short: '{{uuid.short}}',
        int: '{{random.int(5, 7)}}', float: '{{random.float}}', str: '{{random.string(12)}}', el: '{{random.element("x", "y")}}',
        name: '{{faker.name}}', email: '{{faker.email}}', fuuid: '{{faker.uuid}}', ip: '{{faker.ipv4}}',
        word: '{{faker.word}}', sentence: '{{faker.sentence}}', number: '{{faker.number}}',
        seq: '{{sequence("responder-test", 5)}}',
        kept: [1, true, null, { q: '{{request.query.k}}' }],
      },
    });
    const first = await get('/gen?k=v');
    assert.equal(first.headers.get('content-type'), 'application/json');
    assert.match(first.headers.get('x-request-id')!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const a = await first.json();
    const before = Date.now();
    assert.match(a.now, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Math.abs(Number(a.unix) - before / 1000) < 60);
    assert.ok(Math.abs(Number(a.unixMs) - before) < 60_000);
    assert.match(a.iso, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(a.uuid, /^[0-9a-f-]{36}$/);
    assert.match(a.short, /^[0-9a-f]{8}$/);
    assert.ok(['5', '6', '7'].includes(a.int), a.int);
    assert.ok(Number(a.float) >= 0 && Number(a.float) <= 1, a.float);
    assert.match(a.str, /^[A-Za-z0-9]{12}$/);
    assert.ok(['x', 'y'].includes(a.el));
    assert.match(a.name, /^[A-Z][a-z]+ [A-Z][a-z]+$/);
    assert.match(a.email, /@example\.(com|org|net)$/);
    assert.match(a.fuuid, /^[0-9a-f-]{36}$/);
    assert.match(a.ip, /^\d{1,3}(\.\d{1,3}){3}$/);
    assert.match(a.word, /^[a-z]+$/);
    assert.match(a.sentence, /^[A-Z].*\.$/);
    assert.match(a.number, /^\d{1,4}$/);
    assert.equal(a.seq, '5');
    assert.deepEqual(a.kept, [1, true, null, { q: 'v' }]);
    const b = await (await get('/gen?k=w')).json();
    assert.equal(b.seq, '6');
    assert.notEqual(b.uuid, a.uuid);
    assert.deepEqual(b.kept, [1, true, null, { q: 'w' }]);
  });

  test('sends a static JSON body as compact JSON with its headers as given', async () => {
    await http('/static-json', { statusCode: 201, headers: { 'X-Static': 'yes' }, body: { ok: true, list: [1, 2] } });
    const res = await get('/static-json');
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-static'), 'yes');
    assert.equal(res.headers.get('content-length'), '24');
    assert.equal(await res.text(), '{"ok":true,"list":[1,2]}');
  });

  test('drops characters a header cannot carry instead of failing the request', async () => {
    await http('/header-clean', { statusCode: 200, headers: { 'X-Echo': '{{request.rawBody}}' }, body: 'ok' }, 'POST');
    const res = await get('/header-clean', { method: 'POST', body: 'a\r\nb' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-echo'), 'ab');
  });
});

describe('Content-Type (contract §3.2)', () => {
  const cases: [string, Record<string, unknown>, string | null][] = [
    ['a JSON object', { body: { a: 1 } }, 'application/json'],
    ['a JSON array', { body: [1] }, 'application/json'],
    ['a JSON number', { body: 42 }, 'application/json'],
    ['text starting with {', { body: '  {"a":1}' }, 'application/json'],
    ['text starting with [ after blank lines', { body: '\n\n[1]' }, 'application/json'],
    ['text starting with <', { body: ' <a/>' }, 'application/xml'],
    ['other text', { body: 'hello' }, 'text/plain'],
    ['a template rendering JSON', { body: '{{request.query.v}}' }, 'application/json'],
    ['an empty body', { body: '' }, null],
    ['no body', {}, null],
    ["the mock's own header, whatever the body", { headers: { 'content-type': 'text/csv' }, body: { a: 1 } }, 'text/csv'],
  ];
  cases.forEach(([name, response, expected], i) => {
    test(`${expected ?? 'none'} for ${name}`, async () => {
      await http(`/ct/${i}`, { statusCode: 200, ...response });
      const res = await get(`/ct/${i}?v=${encodeURIComponent('{"x":1}')}`);
      assert.equal(res.headers.get('content-type'), expected);
      await res.arrayBuffer();
    });
  });
});

describe('bodyFile (contract §3.2)', () => {
  test('reads an absolute bodyFile on every request and expands its templates', async () => {
    const file = join(dir, 'user.json');
    writeFileSync(file, '{"id":"{{request.pathParam.id}}","v":1}');
    await http('/file-users/{id}', { statusCode: 200, bodyFile: file });
    const first = await get('/file-users/9');
    assert.equal(first.headers.get('content-type'), 'application/json');
    assert.deepEqual(await first.json(), { id: '9', v: 1 });
    writeFileSync(file, '<user id="{{request.pathParam.id}}"/>');
    const second = await get('/file-users/10');
    assert.equal(second.headers.get('content-type'), 'application/xml');
    assert.equal(await second.text(), '<user id="10"/>');
  });

  test('sends the bytes of a file without templates untouched', async () => {
    const file = join(dir, 'blob.bin');
    const bytes = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7b]);
    writeFileSync(file, bytes);
    await http('/file-blob', { statusCode: 200, headers: { 'Content-Type': 'application/octet-stream' }, bodyFile: file });
    const res = await get('/file-blob');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
  });

  test('answers 500 internal_error naming the file when it is missing', async () => {
    const file = join(dir, 'missing.json');
    await http('/file-missing', { statusCode: 200, bodyFile: file });
    const res = await get('/file-missing');
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: 'internal_error', message: `cannot read bodyFile ${JSON.stringify(file)}: no such file` });
    assert.equal((await get('/__mockd/health')).status, 200);
  });

  test('refuses a bodyFile containing .. on create', async () => {
    const r = await m.api('/mocks', { method: 'POST', body: { http: { matcher: { path: '/dotdot' }, response: { statusCode: 200, bodyFile: '../secret' } } } });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'http.response.bodyFile');
  });

  test('resolves a relative bodyFile against the config file directory', async (t) => {
    const configDir = tempDir(t, 'mockd-config-');
    mkdirSync(join(configDir, 'bodies'));
    writeFileSync(join(configDir, 'bodies', 'hello.txt'), 'hello {{request.query.who}}');
    const config = join(configDir, 'mocks.json');
    writeFileSync(config, JSON.stringify({ mocks: [{ http: { matcher: { path: '/hello' }, response: { statusCode: 200, bodyFile: 'bodies/hello.txt' } } }] }));
    const fromConfig = await startMockd(t, { config });
    const res = await fetchWithTimeout(`${fromConfig.mockUrl}/hello?who=there`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(res.headers.get('content-type'), 'text/plain');
    assert.equal(await res.text(), 'hello there');
  });
});

describe('delayMs, HEAD and the body limit', () => {
  test('waits delayMs before answering', async () => {
    await http('/slow', { statusCode: 200, body: 'late', delayMs: 300 });
    await http('/slow-templated', { statusCode: 200, body: '{{request.path}}', delayMs: 300 });
    for (const path of ['/slow', '/slow-templated']) {
      const start = performance.now();
      const res = await get(path);
      const headersAfter = performance.now() - start;
      await res.text();
      assert.ok(headersAfter >= 295, `${path}: status line after ${headersAfter} ms`);
    }
  });

  test('answers a HEAD matched as GET with the headers and no body', async () => {
    await http('/head-me', { statusCode: 200, headers: { 'X-Kind': 'static' }, body: { a: 1 } }, 'GET');
    await http('/head-me-tpl', { statusCode: 200, body: { p: '{{request.path}}' } }, 'GET');
    for (const [path, length] of [['/head-me', '7'], ['/head-me-tpl', '20']] as const) {
      const res = await get(path, { method: 'HEAD' });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.equal(res.headers.get('content-length'), length);
      assert.equal(await res.text(), '');
    }
  });

  test('sends no body, Content-Length or Content-Type for 204', async () => {
    await http('/no-content', { statusCode: 204, body: 'ignored' });
    const res = await get('/no-content');
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('content-length'), null);
    assert.equal(res.headers.get('content-type'), null);
    assert.equal(await res.text(), '');
  });

  test('answers 413 body_too_large to a request body of 10 MiB + 1 byte', async () => {
    await http('/upload', { statusCode: 200, body: 'stored' }, 'POST');
    const res = await get('/upload', { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x61) });
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), { error: 'body_too_large', message: 'request body exceeds 10485760 bytes' });
    const ok = await get('/upload', { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024, 0x61) });
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'stored');
  });
});
