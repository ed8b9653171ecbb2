// websocket.proxy mocks and snapshots of a WebSocket conversation (issue 21), against a real `ws` upstream.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { startMockd } from '../helpers/mockd.ts';
import { deferred, nextEvent, within } from '../helpers/wait.ts';
import { WS_PUSHES, assertGapsClose, journalGaps, startWsUpstream } from './helpers.ts';

interface Heard {
  text: string;
  at: number;
}

/** Connects, sends `hi` after the greeting, and collects what arrives until `count` frames came. */
async function converse(url: string, count: number): Promise<Heard[]> {
  const started = performance.now();
  const ws = new WebSocket(url);
  const heard: Heard[] = [];
  const done = deferred<void>();
  ws.on('message', (data) => {
    heard.push({ text: data.toString(), at: performance.now() - started });
    if (heard.length === 1) ws.send('hi');
    if (heard.length === count) done.resolve();
  });
  ws.on('error', done.reject);
  await within(done.promise, `${count} frames from ${url}`);
  ws.close();
  return heard;
}

describe('websocket.proxy', () => {
  test('passes text and binary frames both ways on one upstream connection per client', async (t) => {
    const upstream = await startWsUpstream(t);
    const m = await startMockd(t);
    await m.createMock({ id: 'wsp', websocket: { path: '/live', proxy: { upstream: `${upstream.url}/live` } } });
    const heard = await converse(`${m.mockUrl.replace('http', 'ws')}/live`, 4);
    assert.deepEqual(heard.map((h) => h.text).sort(), ['echo:hi', 'hello', 'tick 1', 'tick 2']);
    const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/live`, { headers: { Authorization: 'Bearer ws-token' } });
    await nextEvent(ws, 'message', 'the greeting');
    assert.deepEqual(upstream.authorizations, ['Bearer ws-token'], 'the upgrade credentials go upstream');
    ws.send(Buffer.from([1, 2, 3]));
    const [data, isBinary] = await nextEvent(ws, 'message', 'the binary echo');
    assert.equal(isBinary, true);
    assert.deepEqual([...data], [1, 2, 3]);
    assert.equal((await m.api('/websocket/connections')).body.connections.filter((c: any) => c.mockId === 'wsp').length, 1);
    const entries = (await m.api('/requests?protocol=websocket&mockId=wsp')).body.requests;
    assert.ok(entries.every((e: any) => e.proxied === true && e.websocket.path === '/live'));
    assert.ok(entries.some((e: any) => e.websocket.direction === 'in' && e.websocket.messageType === 'binary' && e.websocket.data === 'AQID'));
    ws.close();
  });

  test('an upstream close with 4001 closes the client with 4001', async (t) => {
    const upstream = await startWsUpstream(t);
    const m = await startMockd(t);
    await m.createMock({ websocket: { path: '/live', proxy: { upstream: upstream.url } } });
    const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/live`);
    await nextEvent(ws, 'message', 'the greeting');
    ws.send('bye');
    const [code, reason] = await nextEvent(ws, 'close', 'the mirrored close');
    assert.equal(code, 4001);
    assert.equal(reason.toString(), 'upstream says bye');
  });

  test('a client close goes upstream with the same code', async (t) => {
    const upstream = await startWsUpstream(t);
    const m = await startMockd(t);
    await m.createMock({ websocket: { path: '/live', proxy: { upstream: upstream.url } } });
    const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/live`);
    await nextEvent(ws, 'message', 'the greeting');
    const upstreamClient = [...upstream.wss.clients][0]!;
    const closed = nextEvent(upstreamClient, 'close', 'the upstream side to close');
    ws.close(4100, 'client leaves');
    const [code] = await closed;
    assert.equal(code, 4100);
  });

  test('an admin close ends a proxied client with 1000 and its upstream connection too', async (t) => {
    const upstream = await startWsUpstream(t);
    const m = await startMockd(t);
    await m.createMock({ id: 'wsp', websocket: { path: '/live', proxy: { upstream: upstream.url } } });
    const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}/live`);
    await nextEvent(ws, 'message', 'the greeting');
    const upstreamGone = nextEvent([...upstream.wss.clients][0]!, 'close', 'the upstream connection to close');
    const closed = nextEvent(ws, 'close', 'the client to close');
    const id = (await m.api('/mocks/wsp/websocket/connections')).body.connections[0].id;
    assert.equal((await m.api(`/websocket/connections/${id}`, { method: 'DELETE' })).status, 200);
    assert.equal((await closed)[0], 1000);
    assert.equal((await upstreamGone)[0], 1000);
    assert.equal((await m.api('/websocket/stats')).body.connectionsByMock.wsp, undefined, 'gone from the counts');
  });

  test('a mock change closes proxied clients with 1012 and their upstream connections too', async (t) => {
    const upstream = await startWsUpstream(t);
    const m = await startMockd(t);
    await m.createMock({ id: 'wsp', websocket: { path: '/live', proxy: { upstream: upstream.url } } });
    const clients = [new WebSocket(`${m.mockUrl.replace('http', 'ws')}/live`), new WebSocket(`${m.mockUrl.replace('http', 'ws')}/live`)];
    await Promise.all(clients.map((ws) => nextEvent(ws, 'message', 'the greeting')));
    assert.equal(upstream.wss.clients.size, 2);
    const upstreamGone = [...upstream.wss.clients].map((c) => nextEvent(c, 'close', 'an upstream connection to close'));
    const closes = clients.map((ws) => nextEvent(ws, 'close', 'the client to close'));
    await m.api('/mocks/wsp', { method: 'PATCH', body: { name: 'changed' } });
    for (const [code] of await Promise.all(closes)) assert.equal(code, 1012);
    await Promise.all(upstreamGone);
    assert.equal(upstream.wss.clients.size, 0, 'nothing left open upstream');
  });
});

describe('snapshot of a WebSocket conversation', () => {
  for (const timing of ['original', 'none'] as const) {
    test(`replays greeting, answer and pushes in the recorded order (${timing} timing)`, async (t) => {
      const upstream = await startWsUpstream(t);
      const m = await startMockd(t);
      await m.createMock({ id: 'wsp', websocket: { path: '/live', proxy: { upstream: upstream.url } } });
      const url = `${m.mockUrl.replace('http', 'ws')}/live`;
      const recorded = await converse(url, 4);
      const outs = (await m.api('/requests?mockId=wsp&protocol=websocket')).body.requests.filter((e: any) => e.websocket.direction === 'out');
      const snap = await m.api('/recordings/snapshot', { method: 'POST', body: { filter: { protocol: 'websocket' }, timing, stopProxies: true } });
      assert.equal(snap.status, 201, JSON.stringify(snap.body));
      assert.equal(snap.body.created, 1);
      await upstream.stop();
      const replayed = await converse(url, 4);
      assert.deepEqual(replayed.map((h) => h.text), recorded.map((h) => h.text));
      if (timing === 'original') {
        const offsets = (xs: number[]) => xs.map((g, i) => xs.slice(0, i + 1).reduce((a, b) => a + b, 0));
        assertGapsClose(replayed.slice(1).map((h) => h.at - replayed[0]!.at), offsets(journalGaps(outs)), 'replayed WebSocket');
      } else {
        const spread = replayed[replayed.length - 1]!.at - replayed[0]!.at;
        assert.ok(spread < Math.min(...WS_PUSHES) / 2, `frames ${spread.toFixed(1)} ms apart`);
      }
    });
  }
});
