import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

const httpMock = (path: string, extra: Record<string, unknown> = {}) => ({
  type: 'http',
  http: { matcher: { method: 'GET', path }, response: { statusCode: 200, body: { path } } },
  ...extra,
});

describe('admin mocks routes', () => {
  let m: Awaited<ReturnType<typeof startMockd>>;
  before(async (t) => {
    m = await startMockd({ after: (fn: () => unknown) => after.push(fn) });
  });
  const after: (() => unknown)[] = [];
  test.after(async () => {
    for (const fn of after) await fn();
  });

  test('creates a mock with 201, a generated id and server timestamps', async () => {
    const r = await m.api('/mocks', { method: 'POST', body: { ...httpMock('/created'), createdAt: '1999-01-01T00:00:00.000Z', junk: 1 } });
    assert.equal(r.status, 201);
    assert.equal(r.body.action, 'created');
    assert.equal(r.body.message, 'Created http mock');
    assert.match(r.body.id, /^http_[0-9a-f]{16}$/);
    assert.equal(r.body.mock.id, r.body.id);
    assert.equal(r.body.mock.enabled, true);
    assert.equal(r.body.mock.name, '');
    assert.notEqual(r.body.mock.createdAt, '1999-01-01T00:00:00.000Z');
    assert.match(r.body.mock.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal('junk' in r.body.mock, false);
    assert.deepEqual(r.body.warnings, ['unknown field dropped: junk'], 'unknown fields are dropped with a warning');
    assert.equal(r.headers.get('content-type'), 'application/json');
  });

  test('drops fields of the Go mockd that mockd does not implement inside a spec and names them in warnings', async () => {
    const r = await m.api('/mocks', { method: 'POST', body: { http: { matcher: { path: '/w' }, response: { statusCode: 200, body: { kept: true }, seed: 7 }, statefulOperation: 'list' } } });
    assert.equal(r.status, 201);
    assert.deepEqual(r.body.warnings, ['unknown field dropped: http.response.seed', 'unknown field dropped: http.statefulOperation']);
    assert.deepEqual(r.body.mock.http, { matcher: { path: '/w' }, response: { statusCode: 200, body: { kept: true } } });
    const clean = await m.api('/mocks', { method: 'POST', body: httpMock('/no-warnings') });
    assert.equal('warnings' in clean.body, false);
  });

  test('serves a created mock on the mock port on the next request', async () => {
    const mock = await m.createMock(httpMock('/users/{id}'));
    const res = await fetchWithTimeout(`${m.mockUrl}/users/42`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { path: '/users/{id}' });
    const put = await m.api(`/mocks/${mock.id}`, {
      method: 'PUT',
      body: { type: 'http', http: { matcher: { method: 'GET', path: '/users/{id}' }, response: { statusCode: 202, body: 'changed' } } },
    });
    assert.equal(put.status, 200);
    const again = await fetchWithTimeout(`${m.mockUrl}/users/42`);
    assert.equal(again.status, 202);
    assert.equal(await again.text(), 'changed');
  });

  test('gets a mock by id and answers 404 not_found for an unknown id', async () => {
    const mock = await m.createMock(httpMock('/get-me', { name: 'get me' }));
    const r = await m.api(`/mocks/${mock.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.name, 'get me');
    const missing = await m.api('/mocks/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { error: 'not_found', message: 'Mock not found' });
  });

  test('PUT replaces the mock, keeps createdAt and the path id, and never creates', async () => {
    const mock = await m.createMock(httpMock('/put-me'));
    const r = await m.api(`/mocks/${mock.id}`, { method: 'PUT', body: { ...httpMock('/put-me-2'), id: 'other', name: 'renamed' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.action, 'updated');
    assert.equal(r.body.message, 'Updated http mock');
    assert.equal(r.body.mock.id, mock.id);
    assert.equal(r.body.mock.createdAt, mock.createdAt);
    assert.equal(r.body.mock.name, 'renamed');
    assert.equal(r.body.mock.http.matcher.path, '/put-me-2');
    const unknown = await m.api('/mocks/does-not-exist', { method: 'PUT', body: httpMock('/x') });
    assert.equal(unknown.status, 404);
  });

  test('PATCH sets name and enabled and merges the spec one level deep, null deleting a key', async () => {
    const mock = await m.createMock({ ...httpMock('/patch-me'), http: { priority: 3, matcher: { path: '/patch-me' }, response: { statusCode: 200 } } });
    const r = await m.api(`/mocks/${mock.id}`, { method: 'PATCH', body: { name: 'patched', http: { priority: null, response: { statusCode: 418 } } } });
    assert.equal(r.status, 200);
    assert.equal(r.body.mock.name, 'patched');
    assert.equal(r.body.mock.http.priority, undefined);
    assert.equal(r.body.mock.http.response.statusCode, 418);
    assert.equal(r.body.mock.http.matcher.path, '/patch-me');
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/patch-me`)).status, 418);
  });

  test('toggle flips enabled; a disabled mock serves nothing', async () => {
    const mock = await m.createMock(httpMock('/toggle-me'));
    const off = await m.api(`/mocks/${mock.id}/toggle`, { method: 'POST' });
    assert.equal(off.status, 200);
    assert.equal(off.body.action, 'toggled');
    assert.equal(off.body.message, 'Mock disabled');
    assert.equal(off.body.mock.enabled, false);
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/toggle-me`)).status, 404);
    const on = await m.api(`/mocks/${mock.id}/toggle`, { method: 'POST' });
    assert.equal(on.body.message, 'Mock enabled');
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/toggle-me`)).status, 200);
  });

  test('DELETE answers 204 and the mock is gone', async () => {
    const mock = await m.createMock(httpMock('/delete-me'));
    const r = await m.api(`/mocks/${mock.id}`, { method: 'DELETE' });
    assert.equal(r.status, 204);
    assert.equal(r.body, undefined);
    assert.equal((await m.api(`/mocks/${mock.id}`)).status, 404);
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/delete-me`)).status, 404);
    assert.equal((await m.api(`/mocks/${mock.id}`, { method: 'DELETE' })).status, 404);
  });

  test('answers 409 duplicate_id for a supplied id that exists and 400 for a malformed id', async () => {
    await m.createMock(httpMock('/dup', { id: 'dup-id' }));
    const r = await m.api('/mocks', { method: 'POST', body: httpMock('/dup2', { id: 'dup-id' }) });
    assert.equal(r.status, 409);
    assert.equal(r.body.error, 'duplicate_id');
    const bad = await m.api('/mocks', { method: 'POST', body: httpMock('/dup3', { id: '-bad id' }) });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, 'id');
  });
});

describe('validation errors', () => {
  const cases: { name: string; body: unknown; status: number; error: string; field?: string }[] = [
    { name: 'status code out of range', body: { http: { matcher: { path: '/a' }, response: { statusCode: 700 } } }, status: 400, error: 'validation_error', field: 'http.response.statusCode' },
    { name: 'path without a leading slash', body: { http: { matcher: { path: 'a' }, response: { statusCode: 200 } } }, status: 400, error: 'validation_error', field: 'http.matcher.path' },
    { name: 'matcher with no criterion', body: { http: { matcher: {}, response: { statusCode: 200 } } }, status: 400, error: 'validation_error', field: 'http.matcher' },
    { name: 'invalid regex', body: { http: { matcher: { pathPattern: '([' }, response: { statusCode: 200 } } }, status: 400, error: 'validation_error', field: 'http.matcher.pathPattern' },
    { name: 'path with pathPattern', body: { http: { matcher: { path: '/a', pathPattern: 'a' }, response: { statusCode: 200 } } }, status: 400, error: 'validation_error', field: 'http.matcher.pathPattern' },
    { name: 'body with bodyFile', body: { http: { matcher: { path: '/a' }, response: { statusCode: 200, body: 'x', bodyFile: 'f' } } }, status: 400, error: 'validation_error', field: 'http.response.bodyFile' },
    { name: 'bodyFile escaping with ..', body: { http: { matcher: { path: '/a' }, response: { statusCode: 200, bodyFile: '../etc/passwd' } } }, status: 400, error: 'validation_error', field: 'http.response.bodyFile' },
    { name: 'delay over 30000', body: { http: { matcher: { path: '/a' }, response: { statusCode: 200, delayMs: 30001 } } }, status: 400, error: 'validation_error', field: 'http.response.delayMs' },
    { name: 'no type and no spec', body: { name: 'x' }, status: 400, error: 'missing_type' },
    { name: 'unknown type', body: { type: 'soap', soap: {} }, status: 400, error: 'validation_error', field: 'type' },
    { name: 'spec key of another type', body: { type: 'http', websocket: { path: '/x' } }, status: 400, error: 'validation_error', field: 'websocket' },
    { name: 'enabled not a boolean', body: { enabled: 'yes', http: { matcher: { path: '/a' }, response: { statusCode: 200 } } }, status: 400, error: 'validation_error', field: 'enabled' },
    { name: 'a JSON array', body: [], status: 400, error: 'validation_error' },
    { name: 'script with a syntax error', body: { http: { matcher: { path: '/a' }, response: { statusCode: 200, script: 'return {' } } }, status: 400, error: 'validation_error', field: 'http.response.script' },
  ];

  test('each invalid mock answers 4xx naming the field, and nothing is stored', async (t) => {
    const m = await startMockd(t);
    for (const c of cases) {
      const r = await m.api('/mocks', { method: 'POST', body: c.body });
      assert.equal(r.status, c.status, c.name);
      assert.equal(r.body.error, c.error, c.name);
      assert.equal(typeof r.body.message, 'string', c.name);
      if (c.field) {
        assert.equal(r.body.field, c.field, c.name);
        assert.match(r.body.message, new RegExp(`^validation error on ${c.field.replace(/[.[\]]/g, '\\$&')}: `), c.name);
      }
    }
    assert.equal((await m.api('/mocks')).body.total, 0);
  });

  test('malformed, missing or non-JSON bodies answer 400 invalid_json', async (t) => {
    const m = await startMockd(t);
    for (const body of ['{bad', '', 'not json']) {
      const r = await m.api('/mocks', { method: 'POST', body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error, 'invalid_json');
    }
  });

  test('reads the legacy top-level matcher + response form as an http mock', async (t) => {
    const m = await startMockd(t);
    const r = await m.api('/mocks', { method: 'POST', body: { matcher: { path: '/legacy' }, response: { statusCode: 201, body: 'old' } } });
    assert.equal(r.status, 201);
    assert.equal(r.body.mock.type, 'http');
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/legacy`)).status, 201);
  });
});

describe('listing, bulk and delete-all', () => {
  test('lists oldest first with type, enabled, search, limit and offset filters', async (t) => {
    const m = await startMockd(t);
    const a = await m.createMock(httpMock('/alpha', { name: 'Alpha' }));
    const b = await m.createMock(httpMock('/beta', { name: 'beta', enabled: false }));
    const c = await m.createMock({ type: 'http', http: { matcher: { path: '/events' }, sse: { events: [{ data: 'x' }] } } });
    const all = await m.api('/mocks');
    assert.deepEqual(all.body.mocks.map((x: any) => x.id), [a.id, b.id, c.id]);
    assert.equal(all.body.total, 3);
    assert.equal(all.body.count, 3);
    assert.deepEqual((await m.api('/mocks?enabled=false')).body.mocks.map((x: any) => x.id), [b.id]);
    assert.deepEqual((await m.api('/mocks?search=ALP')).body.mocks.map((x: any) => x.id), [a.id]);
    assert.deepEqual((await m.api('/mocks?search=%2Fbeta')).body.mocks.map((x: any) => x.id), [b.id]);
    const page = await m.api('/mocks?limit=1&offset=1');
    assert.deepEqual(page.body.mocks.map((x: any) => x.id), [b.id]);
    assert.equal(page.body.total, 3);
    assert.equal(page.body.count, 1);
    assert.equal((await m.api('/mocks?type=websocket')).body.total, 0);
    assert.equal((await m.api('/mocks?type=http')).body.total, 3);
  });

  test('bulk validates the whole batch first and stores nothing on any error', async (t) => {
    const m = await startMockd(t);
    const bad = await m.api('/mocks/bulk', { method: 'POST', body: [httpMock('/one'), { http: { matcher: { path: '/two' }, response: { statusCode: 9 } } }] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.field, '[1].http.response.statusCode');
    assert.equal((await m.api('/mocks')).body.total, 0);
    const ok = await m.api('/mocks/bulk', { method: 'POST', body: [httpMock('/one'), httpMock('/two', { id: 'two' })] });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.created, 2);
    assert.equal(ok.body.mocks.length, 2);
    assert.deepEqual(ok.body.failedIds, []);
    assert.deepEqual(ok.body.warnings, []);
    const replaced = await m.api('/mocks/bulk?replace=true', { method: 'POST', body: [httpMock('/three')] });
    assert.equal(replaced.body.created, 1);
    const list = await m.api('/mocks');
    assert.equal(list.body.total, 1);
    assert.equal(list.body.mocks[0].http.matcher.path, '/three');
    assert.equal((await fetchWithTimeout(`${m.mockUrl}/one`)).status, 404);
  });

  test('DELETE /mocks?type= deletes only that type; an unknown type is 400', async (t) => {
    const m = await startMockd(t);
    await m.createMock(httpMock('/keep-none'));
    assert.equal((await m.api('/mocks?type=bogus', { method: 'DELETE' })).status, 400);
    assert.equal((await m.api('/mocks?type=websocket', { method: 'DELETE' })).status, 204);
    assert.equal((await m.api('/mocks')).body.total, 1);
    assert.equal((await m.api('/mocks?type=http', { method: 'DELETE' })).status, 204);
    assert.equal((await m.api('/mocks')).body.total, 0);
    await m.createMock(httpMock('/again'));
    assert.equal((await m.api('/mocks', { method: 'DELETE' })).status, 204);
    assert.equal((await m.api('/mocks')).body.total, 0);
  });

  test('unknown routes and methods answer 404 not_found', async (t) => {
    const m = await startMockd(t);
    for (const [method, path] of [['GET', '/nope'], ['POST', '/health'], ['PUT', '/mocks']]) {
      const r = await m.api(path!, { method });
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.equal(r.body.error, 'not_found');
    }
  });
});
