import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { runCli, spawnMockd, startMockd } from '../helpers/mockd.ts';
import { FETCH_MS, fetchWithTimeout } from '../helpers/wait.ts';

function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, method: headers[':method'] ?? 'GET', signal: AbortSignal.timeout(FETCH_MS) }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('API key', () => {
  test('every route but /health needs X-API-Key or a Bearer token, with the contract 401 bodies', async (t) => {
    const m = await startMockd(t, { apiKey: 's3cret' });
    assert.equal((await m.api('/health')).status, 200);
    // The dashboard page, its assets and its icon carry no data; the browser fetches the icon without the key.
    assert.equal((await fetchWithTimeout(`${m.adminUrl}/favicon.ico`)).status, 200);
    const missing = await m.api('/mocks');
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.body, { error: 'missing_api_key', message: 'API key required' });
    const wrong = await m.api('/mocks', { headers: { 'X-API-Key': 'nope' } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, { error: 'invalid_api_key', message: 'Invalid API key' });
    assert.equal((await m.api('/mocks', { headers: { 'X-API-Key': 's3cret' } })).status, 200);
    assert.equal((await m.api('/mocks', { headers: { Authorization: 'Bearer s3cret' } })).status, 200);
    assert.equal((await m.api('/mocks', { headers: { Authorization: 'Bearer s3cre' } })).status, 401);
    const create = await m.api('/mocks', { method: 'POST', body: { http: { matcher: { path: '/k' }, response: { statusCode: 200 } } } });
    assert.equal(create.status, 401);
    assert.equal((await m.api('/mocks', { headers: { 'X-API-Key': 's3cret' } })).body.total, 0, 'the refused write changed nothing');
  });

  test('the CLI passes --api-key and MOCKD_API_KEY', async (t) => {
    const m = await spawnMockd(t, ['--no-persist', '--api-key', 'k1']);
    const without = await runCli(['list', '--admin-url', m.adminUrl]);
    assert.equal(without.code, 1);
    assert.equal(without.stderr, 'Error: API key required\n');
    const flag = await runCli(['list', '--admin-url', m.adminUrl, '--api-key', 'k1']);
    assert.equal(flag.code, 0, flag.stderr);
    const env = await runCli(['list', '--admin-url', m.adminUrl], { env: { MOCKD_API_KEY: 'k1' } });
    assert.equal(env.code, 0, env.stderr);
  });

  test('MOCKD_API_KEY turns the key on for mockd start', async (t) => {
    const m = await spawnMockd(t, ['--no-persist'], { MOCKD_API_KEY: 'from-env' });
    assert.equal((await fetchWithTimeout(`${m.adminUrl}/mocks`)).status, 401);
    assert.equal((await fetchWithTimeout(`${m.adminUrl}/mocks`, { headers: { 'X-API-Key': 'from-env' } })).status, 200);
  });
});

describe('Host check against DNS rebinding', () => {
  test('refuses a Host that is not a loopback name or the configured host with 403 forbidden_host', async (t) => {
    const m = await startMockd(t);
    const evil = await rawGet(`${m.adminUrl}/mocks`, { Host: `evil.example:${m.adminPort}` });
    assert.equal(evil.status, 403);
    assert.equal(JSON.parse(evil.body).error, 'forbidden_host');
    for (const host of [`localhost:${m.adminPort}`, `127.0.0.1:${m.adminPort}`, `[::1]:${m.adminPort}`, 'localhost']) {
      assert.equal((await rawGet(`${m.adminUrl}/health`, { Host: host })).status, 200, host);
    }
  });
});

describe('CORS', () => {
  test('refuses browser requests from other origins when no origin is allowed', async (t) => {
    const m = await startMockd(t);
    const r = await m.api('/mocks', { method: 'POST', headers: { Origin: 'http://evil.example' }, body: { http: { matcher: { path: '/x' }, response: { statusCode: 200 } } } });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    assert.equal((await m.api('/mocks')).body.total, 0);
    const same = await m.api('/mocks', { headers: { Origin: m.adminUrl } });
    assert.equal(same.status, 200, 'same-origin requests (the dashboard) are allowed');
  });

  test('a listed origin gets Access-Control-Allow-Origin and a 204 preflight', async (t) => {
    const m = await startMockd(t, { corsOrigins: ['http://app.test:3000'] });
    const pre = await m.api('/mocks', { method: 'OPTIONS', headers: { Origin: 'http://app.test:3000', 'Access-Control-Request-Method': 'POST' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'http://app.test:3000');
    assert.match(pre.headers.get('access-control-allow-headers')!, /X-API-Key/);
    const get = await m.api('/mocks', { headers: { Origin: 'http://app.test:3000' } });
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('access-control-allow-origin'), 'http://app.test:3000');
    assert.equal((await m.api('/mocks', { headers: { Origin: 'http://other.test' } })).status, 403);
  });
});
