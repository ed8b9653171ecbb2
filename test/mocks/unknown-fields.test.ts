// Fields inside a spec that mockd does not know: the Go mockd's (src/mocks/schema/go-mockd-fields.ts) are dropped
// with a warning, so its configs load; anything else is refused with the nearest name mockd knows.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { runCli, startMockd, tempDir } from '../helpers/mockd.ts';
import { fetchWithTimeout, nextEvent } from '../helpers/wait.ts';

describe('unknown fields inside a spec', () => {
  let m: Awaited<ReturnType<typeof startMockd>>;
  const cleanups: (() => unknown)[] = [];
  before(async () => {
    m = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
  });
  after(async () => {
    for (const fn of cleanups) await fn();
  });

  test('a typo neither mockd nor the Go mockd knows is refused with 400, the field and the nearest name', async () => {
    const before = (await m.api('/mocks')).body.total;
    const r = await m.api('/mocks', { method: 'POST', body: { http: { matcher: { methd: 'POST', path: '/typo' }, response: { statusCode: 200 } } } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, {
      error: 'validation_error',
      message: 'validation error on http.matcher.methd: unknown field (did you mean "method"?)',
      field: 'http.matcher.methd',
    });
    assert.equal((await m.api('/mocks')).body.total, before, 'nothing stored');
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/typo`, { method: 'DELETE' })).status, 404);
  });

  test('is refused in every protocol, inside arrays and maps, and without a suggestion when nothing is near', async () => {
    const cases: [unknown, string][] = [
      [{ http: { matcher: { path: '/x' }, response: { statsCode: 201 } } }, 'validation error on http.response.statsCode: unknown field (did you mean "statusCode"?)'],
      [{ http: { matcher: { path: '/x', colour: 'red' }, response: { statusCode: 200 } } }, 'validation error on http.matcher.colour: unknown field'],
      [{ websocket: { path: '/ws-typo', matchers: [{ match: { type: 'exact', value: 'a' }, respone: { type: 'text', value: 'b' } }] } }, 'validation error on websocket.matchers[0].respone: unknown field (did you mean "response"?)'],
      [{ mqtt: { port: 0, topics: [{ topic: 't', mesages: [] }] } }, 'validation error on mqtt.topics[0].mesages: unknown field (did you mean "messages"?)'],
      [{ matcher: { pth: '/legacy' }, response: { statusCode: 200 } }, 'validation error on http.matcher.pth: unknown field (did you mean "path"?)'],
    ];
    for (const [body, message] of cases) {
      const r = await m.api('/mocks', { method: 'POST', body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.message, message);
    }
  });

  test('fields of the Go mockd that mockd does not implement are still dropped, with a warning', async () => {
    const r = await m.api('/mocks', {
      method: 'POST',
      body: { http: { matcher: { path: '/go' }, response: { statusCode: 200, seed: 7 }, statefulOperation: 'list', chunked: { chunkSize: 4 } } },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(r.body.warnings, [
      'unknown field dropped: http.response.seed',
      'unknown field dropped: http.statefulOperation',
      'unknown field dropped: http.chunked',
    ]);
  });

  test('an update with a typo is refused and the old version keeps serving', async () => {
    await m.createMock({ id: 'keep', http: { matcher: { path: '/keep' }, response: { statusCode: 200, body: 'old' } } });
    const r = await m.api('/mocks/keep', { method: 'PUT', body: { http: { matcher: { path: '/keep' }, response: { statusCode: 200, bdy: 'new' } } } });
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'validation error on http.response.bdy: unknown field (did you mean "body"?)');
    const patch = await m.api('/mocks/keep', { method: 'PATCH', body: { http: { matcher: { path: '/keep', methd: 'GET' } } } });
    assert.equal(patch.status, 400);
    assert.equal(patch.body.field, 'http.matcher.methd');
    assert.equal(await (await fetchWithTimeout(`${m.mockUrl}/keep`)).text(), 'old');
  });

  test('bulk names the entry of the refused field and stores nothing', async () => {
    const r = await m.api('/mocks/bulk', {
      method: 'POST',
      body: [{ id: 'bulk-ok', http: { matcher: { path: '/b' }, response: { statusCode: 200 } } }, { http: { matcher: { path: '/c', methd: 'GET' }, response: { statusCode: 200 } } }],
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'validation error on [1].http.matcher.methd: unknown field (did you mean "method"?)');
    assert.equal((await m.api('/mocks/bulk-ok')).status, 404);
  });
});

describe('a config file with a typo', () => {
  test('mockd start refuses it, naming the file, the field and the nearest name', async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'mocks.yaml');
    writeFileSync(file, 'mocks:\n  - http:\n      matcher: { methd: GET, path: /x }\n      response: { statusCode: 200 }\n');
    const r = await runCli(['start', '--port', '0', '--admin-port', '0', '--config', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /config error in .*mocks\.yaml: validation error on mocks\[0\]\.http\.matcher\.methd: unknown field \(did you mean "method"\?\)/);
  });
});

describe('the CLI', () => {
  test('prints the warnings of a write in its human output, on stderr', async (t) => {
    // An admin API stand-in answering like mockd does for a write with dropped fields.
    const server = createServer((req, res) => {
      req.resume();
      // `mockd add` first looks for a mock to update (upsert): there is none.
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ mocks: [], total: 0, count: 0 }));
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'w1', action: 'created', message: 'Created http mock',
        mock: { id: 'w1', type: 'http', enabled: true, http: { matcher: { method: 'GET', path: '/w' }, response: { statusCode: 200 } } },
        warnings: ['unknown field dropped: http.matcher.mtls'],
      }));
    }).listen(0, '127.0.0.1');
    await nextEvent(server, 'listening');
    t.after(() => server.close());
    const r = await runCli(['add', '--admin-url', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, '--path', '/w']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Created mock: w1$/m);
    assert.equal(r.stderr, 'Warning: unknown field dropped: http.matcher.mtls\n');
  });
});
