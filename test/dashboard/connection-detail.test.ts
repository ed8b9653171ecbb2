// The connection detail panel (issue 25): the client address of every protocol, the WebSocket subprotocol, the gRPC
// stream kind, MQTT subscriptions, and the connection's recent traffic from the journal, live. Closing asks for
// confirmation first, and a mock edit that will disconnect live clients says how many before it is saved.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket from 'ws';
import type { Page } from 'playwright-core';
import { browserSkipReason } from './browser.ts';
import { closeCodeOf, connectMqtt, greeterClient, HELLO_PROTO, nextData, nextMessage } from './clients.ts';
import { assertNoConsoleErrors, openDashboard, type DashboardSession } from './session.ts';

describe('connection detail', { skip: browserSkipReason() }, () => {
  let s: DashboardSession;
  let page: Page;
  let chat: { id: string };

  before(async () => {
    s = await openDashboard();
    page = s.page;
    chat = await s.m.createMock({ name: 'chat', websocket: { path: '/ws/chat', subprotocols: ['chat.v2'], echoMode: true } });
    await page.goto(s.m.adminUrl);
    await page.locator('[data-live="live"]').waitFor();
  });
  after(async () => {
    assertNoConsoleErrors(s);
    await s?.close();
  });

  const panel = () => page.getByRole('complementary', { name: 'Connection detail' });
  const row = (id: string) => page.locator(`tr[data-conn-id="${id}"]`);
  const newestConnection = async (protocol: string, mockId: string): Promise<string> => {
    const r = await s.m.api(`/mocks/${mockId}/${protocol}/connections`);
    return (r.body.connections ?? r.body.streams).at(-1).id;
  };
  const connectChat = async () => {
    const ws = new WebSocket(`${s.m.mockUrl.replace('http', 'ws')}/ws/chat`, ['chat.v2']);
    s.cleanup(() => ws.terminate());
    await once(ws, 'open', { signal: AbortSignal.timeout(5000) });
    return ws;
  };
  const detail = (key: string) => panel().locator(`[data-detail="${key}"] dd`);

  test("shows a WebSocket connection's client address, subprotocol and last message, live", async () => {
    const ws = await connectChat();
    const id = await newestConnection('websocket', chat.id);
    const localPort = (ws as unknown as { _socket: { localPort: number } })._socket.localPort;
    let echoed = nextMessage(ws);
    ws.send('hello detail');
    await echoed;

    await row(id).click();
    assert.equal(await detail('client').innerText(), `127.0.0.1:${localPort}`);
    assert.equal(await detail('subprotocol').innerText(), 'chat.v2');
    assert.match(await row(id).innerText(), new RegExp(`127\\.0\\.0\\.1:${localPort}`), 'the table shows the address too');
    const frames = panel().getByRole('region', { name: 'Recent traffic' }).locator('li.frame');
    await frames.filter({ hasText: 'hello detail' }).first().waitFor();
    assert.equal(await frames.count(), 2, 'the frame received and its echo');

    echoed = nextMessage(ws);
    ws.send('second message');
    await echoed;
    await frames.first().filter({ hasText: 'second message' }).waitFor({ timeout: 2000 });
    await s.screenshot('dashboard-connection-detail');
  });

  test('asks before closing a connection; Cancel keeps it, Close connection closes it with 1000', async () => {
    const ws = await connectChat();
    const id = await newestConnection('websocket', chat.id);
    await row(id).getByRole('button', { name: 'Close' }).click();
    const dialog = page.getByRole('dialog', { name: `Close ${id}?` });
    assert.match(await dialog.innerText(), /127\.0\.0\.1:\d+/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(ws.readyState, WebSocket.OPEN);
    assert.equal((await s.m.api(`/websocket/connections/${id}`)).status, 200, 'still listed');

    const code = closeCodeOf(ws);
    await row(id).getByRole('button', { name: 'Close' }).click();
    await s.screenshot('dashboard-close-confirmation');
    await dialog.getByRole('button', { name: 'Close connection' }).click();
    assert.equal(await code, 1000);
    await row(id).waitFor({ state: 'detached' });
  });

  test('says how many live clients an edit will disconnect, and saves only once confirmed', async () => {
    const clients = [await connectChat(), await connectChat()];
    const live = (await s.m.api(`/mocks/${chat.id}/websocket/connections`)).body.count;
    assert.ok(live >= 2);
    await page.getByRole('link', { name: 'Mocks' }).click();
    await page.waitForFunction(([mockId, n]) => document.querySelector(`tr[data-mock-id="${mockId}"] [data-col="connections"]`)?.textContent === String(n), [chat.id, live] as const);
    await page.locator(`tr[data-mock-id="${chat.id}"]`).getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByRole('region', { name: 'Mock editor' });
    await editor.locator('[data-field="name"] input').fill('chat v2');
    await editor.getByRole('button', { name: 'Save', exact: true }).click();
    const confirm = editor.getByRole('alertdialog', { name: 'Confirm disconnect' });
    assert.equal(await confirm.locator('[data-disconnects]').innerText(), String(live));
    assert.equal((await s.m.api(`/mocks/${chat.id}`)).body.name, 'chat', 'nothing saved before confirming');

    const codes = clients.map(closeCodeOf);
    await confirm.getByRole('button', { name: `Save and disconnect ${live}` }).click();
    await editor.waitFor({ state: 'detached' });
    assert.deepEqual(await Promise.all(codes), [1012, 1012]);
    assert.equal((await s.m.api(`/mocks/${chat.id}`)).body.name, 'chat v2');
    await page.getByRole('link', { name: 'Connections' }).click();
  });

  test('shows an MQTT client address and subscriptions, and its messages from the journal', async () => {
    const broker = await s.m.createMock({ name: 'sensors', mqtt: { port: 0, topics: [] } });
    const client = await connectMqtt(s.cleanup, broker.mqtt.port, 'dash-detail-sensor');
    await client.subscribeAsync('cmd/#');
    await client.publishAsync('cmd/reboot', 'now');
    await row('dash-detail-sensor').click();
    const localPort = (client.stream as unknown as { localPort: number }).localPort;
    assert.equal(await detail('client').innerText(), `127.0.0.1:${localPort}`);
    await panel().locator('.chips li', { hasText: 'cmd/#' }).first().waitFor();
    const frames = panel().getByRole('region', { name: 'Recent traffic' }).locator('li.frame');
    await frames.filter({ hasText: 'now' }).first().waitFor();
  });

  test('shows a gRPC stream peer address and stream kind, and its messages from the journal', async () => {
    const mock = await s.m.createMock({
      name: 'greeter',
      grpc: { port: 0, protoFile: HELLO_PROTO, services: { 'helloworld.Greeter': { methods: { Chat: { responses: [{ message: 'hi there' }] } } } } },
    });
    const call = greeterClient(s.cleanup, mock.grpc.port).Chat();
    call.on('error', () => undefined);
    s.cleanup(() => call.cancel());
    call.write({ name: 'dash' });
    await nextData(call);
    await page.locator(`tr[data-conn-mock="${mock.id}"]`).waitFor();
    const id = await newestConnection('grpc', mock.id);
    const stream = (await s.m.api(`/grpc/connections/${id}`)).body;
    await row(id).click();
    assert.equal(await detail('client').innerText(), stream.clientAddr);
    assert.match(stream.clientAddr, /^127\.0\.0\.1:\d+$/);
    assert.equal(await detail('stream').innerText(), 'bidi');
    const frames = panel().getByRole('region', { name: 'Recent traffic' }).locator('li.frame');
    await frames.filter({ hasText: 'hi there' }).first().waitFor();
    await frames.filter({ hasText: 'dash' }).first().waitFor();
  });
});
