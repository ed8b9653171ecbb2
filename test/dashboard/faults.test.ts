// Faults from the connection detail panel (README "Faults and chaos"): choose a kind, fill its parameters, apply it,
// and lift it; the real client sees each one.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserSkipReason } from './browser.ts';
import { closeCodeOf, connectWebSocket, nextMessage } from './clients.ts';
import { assertNoConsoleErrors, openDashboard, type DashboardSession } from './session.ts';

describe('faults in the connection detail panel', { skip: browserSkipReason() }, () => {
  let s: DashboardSession;
  let page: Page;
  let echo: { id: string };

  before(async () => {
    s = await openDashboard();
    page = s.page;
    echo = await s.m.createMock({ name: 'echo', websocket: { path: '/ws/echo', echoMode: true } });
    await page.goto(s.m.adminUrl);
    await page.locator('[data-live="live"]').waitFor();
  });
  after(async () => {
    assertNoConsoleErrors(s);
    await s?.close();
  });

  const panel = () => page.getByRole('complementary', { name: 'Connection detail' });
  const openPanel = async () => {
    const ws = await connectWebSocket(s.cleanup, `${s.m.mockUrl.replace('http', 'ws')}/ws/echo`);
    const list = (await s.m.api(`/mocks/${echo.id}/websocket/connections`)).body.connections;
    const id = list.at(-1).id as string;
    await page.locator(`tr[data-conn-id="${id}"]`).click();
    await panel().getByRole('region', { name: 'Faults' }).waitFor();
    return { ws, id };
  };

  test('offers the kinds of the protocol and closes with the code typed in', async () => {
    const { ws } = await openPanel();
    const options = await panel().getByLabel('Fault kind').locator('option').allInnerTexts();
    assert.deepEqual(options, ['reset', 'drop', 'stall', 'delay', 'drop-messages', 'close']);
    await panel().getByLabel('Fault kind').selectOption('close');
    await panel().getByLabel('Code').fill('4005');
    const code = closeCodeOf(ws);
    await panel().getByRole('button', { name: 'Apply fault' }).click();
    assert.equal(await code, 4005);
  });

  test('a stall holds the echo until Lift faults is pressed', async () => {
    const { ws } = await openPanel();
    await panel().getByLabel('Fault kind').selectOption('stall');
    await panel().getByRole('button', { name: 'Apply fault' }).click();
    await page.getByText(/Fault stall applied/).first().waitFor();
    const echoed = nextMessage(ws);
    let arrived = false;
    void echoed.then(() => (arrived = true), () => undefined);
    ws.send('held');
    await page.waitForTimeout(300);
    assert.equal(arrived, false, 'the echo got through the stall');
    await panel().getByRole('button', { name: 'Lift faults' }).click();
    assert.equal(await echoed, 'held');
  });
});
