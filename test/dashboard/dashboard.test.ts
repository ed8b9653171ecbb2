// The web dashboard in a real browser (headless Chromium) against a real mockd with real clients of every protocol:
// rows appear live, counters move, the close and send actions reach the clients, and mock changes empty rows.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import type { BrowserContext, Page } from 'playwright-core';
import { adminClient, startMockd, type Admin } from '../helpers/mockd.ts';
import type { RunningMockd } from '../../src/server.ts';
import { ARTIFACTS, browserSkipReason, launchBrowser, watchConsole, type ConsoleWatch } from './browser.ts';
import { closeCodeOf, connectMqtt, connectWebSocket, greeterClient, grpcStatusOf, HELLO_PROTO, mqttClosed, nextData, nextMessage } from './clients.ts';

/** The table must show a new connection within this long (the "within a second"). */
const APPEAR_MS = 1000;
const API_KEY = 'dashboard-test-key';

describe('web dashboard', { skip: browserSkipReason() }, () => {
  let m: RunningMockd & Admin;
  /** A second mockd started with --api-key (contract §8.1). */
  let keyed: RunningMockd & Admin;
  let page: Page;
  let context: BrowserContext;
  let consoleWatch: ConsoleWatch | undefined;
  const cleanups: (() => unknown)[] = [];
  const cleanup = (fn: () => unknown) => void cleanups.push(fn);

  before(async () => {
    // allSettled, so that whatever did start has registered its cleanup before a failure (no browser on CI) is thrown.
    const started = await Promise.allSettled([
      startMockd({ after: cleanup }),
      startMockd({ after: cleanup }, { apiKey: API_KEY }),
      launchBrowser().then((b) => (cleanup(() => b.close()), b)),
    ]);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [mockd, keyedMockd, browser] = started.map((r) => (r as PromiseFulfilledResult<any>).value) as [RunningMockd & Admin, RunningMockd & Admin, Awaited<ReturnType<typeof launchBrowser>>];
    m = mockd;
    keyed = Object.assign(keyedMockd, adminClient(keyedMockd.adminUrl, { 'x-api-key': API_KEY }));
    page = browser.page;
    context = browser.context;
    consoleWatch = watchConsole(page);
    await page.goto(m.adminUrl);
    await page.locator('[data-live="live"]').waitFor();
  });
  after(async () => {
    // No console errors: the favicon is served, and the only failed call is the send the test makes fail on purpose.
    const unexpected = consoleWatch?.unexpected() ?? [];
    for (const fn of cleanups.reverse()) await fn();
    assert.deepEqual(unexpected, []);
  });
  /** Closing asks first (issue 25); this confirms. */
  const confirmClose = (button = 'Close connection') => page.getByRole('dialog').getByRole('button', { name: button, exact: true }).click();

  const wsUrl = (path: string) => `${m.mockUrl.replace('http', 'ws')}${path}`;
  const rowsOf = (mockId: string) => page.locator(`tr[data-conn-mock="${mockId}"]`);
  const row = (id: string) => page.locator(`tr[data-conn-id="${id}"]`);
  const waitForRowCount = (mockId: string, n: number, timeout = 5000) =>
    page.waitForFunction(([id, count]) => document.querySelectorAll(`tr[data-conn-mock="${id}"]`).length === count, [mockId, n] as const, { timeout });
  const waitForText = (selector: string, text: string, timeout = 5000) =>
    page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent?.includes(t) ?? false, [selector, text] as const, { timeout });
  /** The id of a mock's newest connection, from the API. */
  const newestConnection = async (protocol: string, mockId: string): Promise<string> => {
    const r = await m.api(`/mocks/${mockId}/${protocol}/connections`);
    return (r.body.connections ?? r.body.streams).at(-1).id;
  };
  const showTab = (tab: string) => page.locator(`[role="tab"][data-tab="${tab}"]`).click();

  let echo: any;
  let ticker: any;

  test('shows new WebSocket and SSE connections in the table within a second', async () => {
    echo = await m.createMock({ type: 'websocket', name: 'echo', websocket: { path: '/ws/echo', echoMode: true } });
    ticker = await m.createMock({ name: 'ticker', http: { matcher: { method: 'GET', path: '/ticks' }, sse: { generator: { type: 'sequence' }, timing: { fixedDelay: 150 } } } });

    await connectWebSocket(cleanup, wsUrl('/ws/echo'));
    const es = new EventSource(`${m.mockUrl}/ticks`);
    cleanup(() => es.close());
    await Promise.all([waitForRowCount(echo.id, 1, APPEAR_MS), waitForRowCount(ticker.id, 1, APPEAR_MS)]);

    const wsRow = rowsOf(echo.id);
    assert.match(await wsRow.innerText(), /echo/);
    assert.match(await wsRow.innerText(), /\/ws\/echo/);
    assert.match(await rowsOf(ticker.id).innerText(), /127\.0\.0\.1:\d+/);
  });

  test('moves the counters as messages and events flow', async () => {
    const ws = await connectWebSocket(cleanup, wsUrl('/ws/echo'));
    const id = await newestConnection('websocket', echo.id);
    await row(id).waitFor();
    for (let i = 0; i < 3; i++) {
      ws.send(`message ${i}`);
      await nextMessage(ws);
    }
    await waitForText(`tr[data-conn-id="${id}"] [data-col="counters"]`, '3 sent · 3 recv', 3000);

    const sseCounters = rowsOf(ticker.id).locator('[data-col="counters"]');
    const before = await sseCounters.innerText();
    await page.waitForFunction(([sel, text]) => document.querySelector(sel)?.textContent !== text, [`tr[data-conn-mock="${ticker.id}"] [data-col="counters"]`, before] as const, { timeout: 3000 });
    ws.close();
  });

  test('closes a WebSocket client with 1000 from its row', async () => {
    await waitForRowCount(echo.id, 1);
    const ws = await connectWebSocket(cleanup, wsUrl('/ws/echo'));
    await waitForRowCount(echo.id, 2);
    const id = await newestConnection('websocket', echo.id);
    const code = closeCodeOf(ws);
    await row(id).getByRole('button', { name: 'Close' }).click();
    await confirmClose();
    assert.equal(await code, 1000);
    await row(id).waitFor({ state: 'detached' });
  });

  test('sends a message to a WebSocket client from the send dialog and shows the API validation error', async () => {
    const ws = await connectWebSocket(cleanup, wsUrl('/ws/echo'));
    await waitForRowCount(echo.id, 2);
    const id = await newestConnection('websocket', echo.id);

    await row(id).getByRole('button', { name: 'Send' }).click();
    const dialog = page.getByRole('dialog', { name: `Send to ${id}` });
    await dialog.getByLabel('Message').fill('hello from the dashboard');
    const received = nextMessage(ws);
    await dialog.getByRole('button', { name: 'Send' }).click();
    assert.equal(await received, 'hello from the dashboard');
    await dialog.waitFor({ state: 'detached' });

    const expected = await m.api(`/websocket/connections/${id}/send`, { method: 'POST', body: { type: 'binary', data: 'not base64!' } });
    assert.equal(expected.status, 400);
    await row(id).getByRole('button', { name: 'Send' }).click();
    await dialog.getByLabel('Binary (base64)').check();
    await dialog.getByLabel('Message').fill('not base64!');
    consoleWatch!.expectFailedRequest(`/websocket/connections/${id}/send`, 400);
    await dialog.getByRole('button', { name: 'Send' }).click();
    assert.equal(await dialog.getByRole('alert').innerText(), expected.body.message);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    ws.close();
  });

  test("empties a mock's rows when the mock is updated, leaving other mocks' rows", async () => {
    const a = await m.createMock({ type: 'websocket', name: 'room-a', websocket: { path: '/ws/a' } });
    const b = await m.createMock({ type: 'websocket', name: 'room-b', websocket: { path: '/ws/b' } });
    const clientsA = await Promise.all([connectWebSocket(cleanup, wsUrl('/ws/a')), connectWebSocket(cleanup, wsUrl('/ws/a'))]);
    await connectWebSocket(cleanup, wsUrl('/ws/b'));
    await Promise.all([waitForRowCount(a.id, 2), waitForRowCount(b.id, 1)]);

    const codes = clientsA.map(closeCodeOf);
    assert.equal((await m.api(`/mocks/${a.id}`, { method: 'PUT', body: { type: 'websocket', name: 'room-a v2', websocket: { path: '/ws/a' } } })).status, 200);
    assert.deepEqual(await Promise.all(codes), [1012, 1012]);
    await waitForRowCount(a.id, 0);
    assert.equal(await rowsOf(b.id).count(), 1);
  });

  test('filters rows by search text and by mock', async () => {
    await page.getByLabel('Search').fill('/ws/b');
    await page.waitForFunction(() => [...document.querySelectorAll('tr[data-conn-id]')].every((r) => r.textContent!.includes('/ws/b')));
    assert.ok((await page.locator('tr[data-conn-id]').count()) >= 1);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Filter by mock').selectOption(ticker.id);
    await page.waitForFunction((id) => [...document.querySelectorAll('tr[data-conn-id]')].every((r) => r.getAttribute('data-conn-mock') === id), ticker.id);
    assert.equal(await page.locator('tr[data-conn-id]').count(), 1);
    await page.getByLabel('Filter by mock').selectOption('');
  });

  test('lists MQTT clients with their subscriptions, shows them in the detail panel and disconnects them', async () => {
    const broker = await m.createMock({ type: 'mqtt', name: 'sensors', mqtt: { port: 0, topics: [] } });

    const client = await connectMqtt(cleanup, broker.mqtt.port, 'dash-sensor-1');
    await waitForRowCount(broker.id, 1, APPEAR_MS);
    await client.subscribeAsync('cmd/dash-sensor-1/#');
    await waitForText('tr[data-conn-id="dash-sensor-1"]', 'cmd/dash-sensor-1/#', 3000);

    await showTab('mqtt');
    await row('dash-sensor-1').click();
    const panel = page.getByRole('complementary', { name: 'Connection detail' });
    await panel.locator('.chips li', { hasText: 'cmd/dash-sensor-1/#' }).first().waitFor();
    assert.equal(await panel.locator('[data-field="protocolVersion"] dd').innerText(), '4');
    assert.equal(await panel.locator('[data-field="mockId"] dd').innerText(), broker.id);

    const closed = mqttClosed(client);
    await panel.getByRole('button', { name: 'Close connection' }).click();
    await confirmClose();
    await closed;
    await waitForRowCount(broker.id, 0);
    await panel.getByText('This connection has closed.').waitFor();
    await panel.getByRole('button', { name: 'Close panel' }).click();
    await showTab('all');
  });

  test('lists gRPC streams with their method and stream type, counts messages and cancels them', async () => {
    const mock = await m.createMock({
      type: 'grpc',
      name: 'greeter',
      grpc: { port: 0, protoFile: HELLO_PROTO, services: { 'helloworld.Greeter': { methods: { Chat: { responses: [{ message: 'hi' }] } } } } },
    });

    const call = greeterClient(cleanup, mock.grpc.port).Chat();
    call.on('error', () => undefined);
    call.write({ name: 'one' });
    await nextData(call);
    await waitForRowCount(mock.id, 1, APPEAR_MS);
    const id = await newestConnection('grpc', mock.id);
    assert.match(await row(id).innerText(), /\/helloworld\.Greeter\/Chat \(bidi\)/);
    call.write({ name: 'two' });
    await nextData(call);
    await waitForText(`tr[data-conn-id="${id}"] [data-col="counters"]`, '2 sent · 2 recv', 3000);

    await row(id).click();
    const panel = page.getByRole('complementary', { name: 'Connection detail' });
    assert.equal(await panel.locator('[data-field="streamType"] dd').innerText(), 'bidi');
    assert.equal(await panel.locator('[data-field="method"] dd').innerText(), '/helloworld.Greeter/Chat');

    const status = grpcStatusOf(call);
    await row(id).getByRole('button', { name: 'Close' }).click();
    await confirmClose();
    assert.equal((await status).code, 14);
    await waitForRowCount(mock.id, 0);
    await panel.getByRole('button', { name: 'Close panel' }).click();
  });

  test('toggles a mock from the Mocks view and shows its live connection count', async () => {
    const plain = await m.createMock({ name: 'plain http', http: { matcher: { method: 'GET', path: '/plain' }, response: { statusCode: 200 } } });
    await page.getByRole('link', { name: 'Mocks' }).click();
    await waitForText(`tr[data-mock-id="${ticker.id}"] [data-col="connections"]`, '1');
    await page.getByRole('switch', { name: `Enable ${plain.id}` }).click();
    await page.waitForFunction((id) => !(document.querySelector(`[aria-label="Enable ${id}"]`) as HTMLInputElement).checked, plain.id);
    assert.equal((await m.api(`/mocks/${plain.id}`)).body.enabled, false);
    await page.getByRole('link', { name: 'Connections' }).click();
  });

  test('shows one live connection of each protocol side by side (screenshot)', async () => {
    const broker = await m.createMock({ type: 'mqtt', name: 'telemetry', mqtt: { port: 0, topics: [] } });
    const news = await m.createMock({
      type: 'grpc',
      name: 'news',
      grpc: { port: 0, protoFile: HELLO_PROTO, services: { 'helloworld.Greeter': { methods: { StreamHellos: { responses: [{ message: 'a' }, { message: 'b' }], streamDelay: '30s' } } } } },
    });
    const client = await connectMqtt(cleanup, broker.mqtt.port, 'thermostat-42');
    await client.subscribeAsync(['home/+/temperature', 'cmd/thermostat-42/#']);
    const call = greeterClient(cleanup, news.grpc.port).StreamHellos({ name: 'dashboard' });
    call.on('error', () => undefined);
    cleanup(() => call.cancel());
    await nextData(call);

    await waitForText('tr[data-conn-id="thermostat-42"]', 'cmd/thermostat-42/#', 3000);
    await waitForRowCount(news.id, 1);
    for (const protocol of ['websocket', 'sse', 'mqtt', 'grpc']) assert.ok((await page.locator(`tr[data-protocol="${protocol}"]`).count()) >= 1, protocol);
    await row('thermostat-42').click();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-connections.png') });
    await page.getByRole('link', { name: 'Mocks' }).click();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-mocks.png') });
    await page.getByRole('link', { name: 'Connections' }).click();
  });

  test('asks for the API key after a 401, again after a wrong key, then sends it as X-API-Key and to /events as ?apiKey=', async () => {
    const keyedPage = await context.newPage();
    cleanup(() => keyedPage.close());
    const requests: { path: string; header: string | undefined; query: string | null }[] = [];
    keyedPage.on('request', (r) => {
      const url = new URL(r.url());
      requests.push({ path: url.pathname, header: r.headers()['x-api-key'], query: url.searchParams.get('apiKey') });
    });
    await keyedPage.goto(keyed.adminUrl);
    const form = keyedPage.getByRole('dialog', { name: 'API key required' });
    await form.getByText('This mockd needs an API key.').waitFor();
    await form.getByLabel('API key').fill('wrong-key');
    await form.getByRole('button', { name: 'Continue' }).click();
    await form.getByText('The API key was not accepted.').waitFor();

    await form.getByLabel('API key').fill(API_KEY);
    await form.getByRole('button', { name: 'Continue' }).click();
    await form.waitFor({ state: 'detached' });
    await keyedPage.locator('[data-live="live"]').waitFor();
    const mock = await keyed.createMock({ type: 'websocket', name: 'guarded', websocket: { path: '/ws/guarded' } });
    await connectWebSocket(cleanup, `${keyed.mockUrl.replace('http', 'ws')}/ws/guarded`);
    await keyedPage.locator(`tr[data-conn-mock="${mock.id}"]`).waitFor({ timeout: APPEAR_MS });

    assert.equal(await keyedPage.evaluate(() => sessionStorage.getItem('mockd.apiKey')), API_KEY);
    assert.ok(requests.some((r) => r.path === '/websocket/connections' && r.header === API_KEY));
    assert.ok(requests.some((r) => r.path === '/events' && r.query === API_KEY));
    assert.equal(await form.count(), 0, 'a working key is not asked for again');
    await keyedPage.close();
  });

  test('keeps up with 200 live WebSocket connections and closes them all per mock', async () => {
    const load = await m.createMock({ type: 'websocket', name: 'load', websocket: { path: '/ws/load', echoMode: true } });
    const clients = [];
    for (let i = 0; i < 200; i += 50) {
      clients.push(...(await Promise.all(Array.from({ length: 50 }, () => connectWebSocket(cleanup, wsUrl('/ws/load'))))));
    }
    await waitForRowCount(load.id, 200, 5000);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-200-connections.png') });

    const codes = clients.map(closeCodeOf);
    await page.getByLabel('Filter by mock').selectOption(load.id);
    await page.getByRole('button', { name: 'Close all of this mock' }).click();
    await confirmClose('Close all');
    const closed = await Promise.all(codes);
    assert.ok(closed.every((c) => c === 1000));
    await waitForRowCount(load.id, 0);
  });
});
