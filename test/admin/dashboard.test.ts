// The dashboard's static route on the admin port: index.html at `/`, the bundle under `/assets/`, and nothing else.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assetName } from '../../src/admin/dashboard.ts';
import { startMockd } from '../helpers/mockd.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

describe('assetName', () => {
  const cases: [string, string | undefined][] = [
    ['/assets/app.js', 'assets/app.js'],
    ['/assets/app.css.map', 'assets/app.css.map'],
    ['/assets/fonts/a.woff2', 'assets/fonts/a.woff2'],
    ['/assets/', undefined],
    ['/assets/..%2F..%2Fpackage.json', undefined],
    ['/assets/%2e%2e/package.json', undefined],
    ['/assets/a/../../x', undefined],
    ['/assets/.%2Fapp.js', undefined],
    ['/assets/a%5C..%5Cb', undefined],
    ['/assets/app.js%00', undefined],
    ['/assets/%E0%A4%A', undefined],
    ['/assets//etc/passwd', undefined],
  ];
  for (const [path, expected] of cases) {
    test(`maps ${path} to ${expected ?? 'nothing'}`, () => assert.equal(assetName(path), expected));
  }
});

describe('GET / and /assets/*', () => {
  test('serves the dashboard page and its bundle with their content types', async (t) => {
    const m = await startMockd(t);
    const page = await fetchWithTimeout(`${m.adminUrl}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = await page.text();
    assert.match(html, /<script type="module" src="assets\/app\.js"><\/script>/);

    const js = await fetchWithTimeout(`${m.adminUrl}/assets/app.js`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.ok((await js.text()).length > 1000);
    const css = await fetchWithTimeout(`${m.adminUrl}/assets/app.css`);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    await css.arrayBuffer();

    const icon = await fetchWithTimeout(`${m.adminUrl}/favicon.ico`);
    assert.equal(icon.status, 200);
    assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
    assert.match(await icon.text(), /^<svg /);

    for (const path of ['/favicon.svg', '/assets/nope.js', '/assets/..%2F..%2Fpackage.json', '/assets/%2e%2e/%2e%2e/package.json', '/index.html']) {
      const res = await fetchWithTimeout(`${m.adminUrl}${path}`);
      assert.equal(res.status, 404, path);
      assert.deepEqual(await res.json(), { error: 'not_found', message: 'Not found' });
    }
  });
});
