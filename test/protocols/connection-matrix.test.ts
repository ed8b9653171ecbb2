// Connection management written once and run for all four protocols (contract §9), the way h3's describeMatrix runs
// one body against several targets: each protocol hands in a small adapter (its mock, a real client, how that client
// sees its goodbye), and the same black-box checks run through the admin API of one real mockd.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import WebSocket from 'ws';
import mqtt from 'mqtt';
import { eventually, startMockd, type Admin } from '../helpers/mockd.ts';
import type { RunningMockd } from '../../src/server.ts';
import type { Protocol } from '../../src/contract/protocols.ts';
import { PROTOCOL_PROFILES } from '../../src/contract/profiles.ts';
import { greeterClient, grpc, HELLO_PROTO, nextMessage } from './grpc/helpers.ts';
import { StreamReader } from './sse/helpers.ts';

const BOUND = { signal: () => AbortSignal.timeout(10_000) };

/** A connected client and how it learns that the server ended it, in words the adapter's `goodbye` table uses. */
interface Client {
  goodbye: Promise<string>;
  /** Leaves by itself, as a client would. */
  leave(): void;
}

interface Adapter {
  protocol: Protocol;
  /** A mock of this protocol; `variant` changes what it serves (an update). */
  mock(id: string, variant?: string): Record<string, unknown>;
  connect(t: TestContext, m: RunningMockd, mock: any): Promise<Client>;
  /** What the client sees when the admin closes it, and when its mock changes. */
  goodbye: { admin: string; mock_changed: string };
}

function wsGoodbye(ws: WebSocket): Promise<string> {
  return once(ws, 'close', { signal: BOUND.signal() }).then(([code, reason]) => `close ${code} ${String(reason)}`);
}

/** The call's final status (`events.once` would reject on the 'error' that precedes a non-OK status). */
function grpcGoodbye(call: NodeJS.EventEmitter): Promise<string> {
  call.on('error', () => undefined);
  const signal = BOUND.signal();
  return new Promise((resolve, reject) => {
    call.once('status', (s: grpc.StatusObject) => resolve(`status ${grpc.status[s.code]} ${s.details}`));
    signal.addEventListener('abort', () => reject(new Error('no gRPC status within 10 s')), { once: true });
  });
}

const ADAPTERS: Adapter[] = [
  {
    protocol: 'websocket',
    mock: (id, variant = 'a') => ({ id, type: 'websocket', websocket: { path: `/${id}`, defaultResponse: { type: 'text', value: variant } } }),
    async connect(t, m, mock) {
      const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}${mock.websocket.path}`);
      t.after(() => ws.terminate());
      ws.on('error', () => undefined);
      await once(ws, 'open', { signal: BOUND.signal() });
      return { goodbye: wsGoodbye(ws), leave: () => ws.close(1000) };
    },
    goodbye: { admin: 'close 1000 closed by API', mock_changed: 'close 1012 mock updated' },
  },
  {
    protocol: 'sse',
    mock: (id, variant = 'a') => ({ id, type: 'http', http: { matcher: { path: `/${id}` }, sse: { events: [{ data: variant }, { data: 'later', delay: 60_000 }] } } }),
    async connect(t, m, mock) {
      const controller = new AbortController();
      t.after(() => controller.abort());
      const response = await fetch(`${m.mockUrl}${mock.http.matcher.path}`, { signal: controller.signal });
      const s = new StreamReader(response);
      await s.until('data:');
      return { goodbye: s.ended.then((how) => `stream ${how}`), leave: () => controller.abort() };
    },
    goodbye: { admin: 'stream end', mock_changed: 'stream end' },
  },
  {
    protocol: 'mqtt',
    mock: (id, variant = 'a') => ({ id, type: 'mqtt', mqtt: { port: 0, topics: [{ topic: `t/${variant}` }] } }),
    async connect(t, m, mock) {
      const client = mqtt.connect(`mqtt://127.0.0.1:${mock.mqtt.port}`, { reconnectPeriod: 0, protocolVersion: 4 });
      t.after(() => client.end(true));
      client.on('error', () => undefined);
      await once(client as any, 'connect', { signal: BOUND.signal() });
      return { goodbye: once(client as any, 'close', { signal: BOUND.signal() }).then(() => 'disconnected'), leave: () => client.end() };
    },
    goodbye: { admin: 'disconnected', mock_changed: 'disconnected' },
  },
  {
    protocol: 'grpc',
    mock: (id, variant = 'a') => ({
      id,
      type: 'grpc',
      grpc: {
        port: 0,
        protoFile: HELLO_PROTO,
        services: { 'helloworld.Greeter': { methods: { StreamHellos: { streamDelay: '30s', responses: [{ message: variant }, { message: 'later' }] } } } },
      },
    }),
    async connect(t, m, mock) {
      const client = greeterClient(t, mock.grpc.port);
      const call = client.StreamHellos({ name: 'x' });
      const goodbye = grpcGoodbye(call);
      t.after(() => call.cancel());
      await nextMessage(call);
      return { goodbye, leave: () => call.cancel() };
    },
    goodbye: { admin: 'status UNAVAILABLE stream cancelled by admin', mock_changed: 'status UNAVAILABLE mock configuration updated' },
  },
];

let seq = 0;

for (const a of ADAPTERS) {
  const p = PROTOCOL_PROFILES[a.protocol];
  describe(`${p.label} connections (the shared matrix)`, () => {
    let m: RunningMockd & Admin;
    const cleanups: (() => unknown)[] = [];
    before(async () => {
      m = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
    });
    after(async () => {
      for (const fn of cleanups.reverse()) await fn();
    });

    const newMock = async (variant?: string) => m.createMock(a.mock(`${a.protocol}_matrix_${++seq}`, variant));
    const idsOf = async (mockId?: string) => {
      const r = await m.api(mockId ? `/mocks/${mockId}/${p.routes.scoped}/connections` : p.routes.list);
      assert.equal(r.status, 200);
      return (r.body[p.listKey] as { id: string }[]).map((c) => c.id);
    };
    /** Connects a client and resolves with its id once the admin API lists it. */
    const connect = async (t: TestContext, mock: any) => {
      const before = new Set(await idsOf(mock.id));
      const client = await a.connect(t, m, mock);
      const ids = await eventually(() => idsOf(mock.id), (ids) => ids.some((id) => !before.has(id)));
      return { client, id: ids.find((id) => !before.has(id))! };
    };

    test('lists a connected client under its mock, gets it by id, and answers 404 with the protocol\'s words for an unknown id', async (t) => {
      const mock = await newMock();
      const { id } = await connect(t, mock);
      const one = await m.api(`${p.routes.list}/${encodeURIComponent(id)}`);
      assert.equal(one.status, 200);
      assert.equal(one.body.id, id);
      assert.equal(one.body.mockId, mock.id);
      assert.ok(!Number.isNaN(Date.parse(one.body.connectedAt)));
      const all = await m.api(p.routes.list);
      assert.ok(all.body[p.listKey].some((c: { id: string }) => c.id === id));
      assert.equal(all.body.stats.connectionsByMock[mock.id], 1);
      const missing = await m.api(`${p.routes.list}/no-such-connection`);
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, { error: 'not_found', message: p.api.notFound });
    });

    test('closes one connection with the protocol\'s admin goodbye; it is gone from the listing when the call returns', async (t) => {
      const mock = await newMock();
      const { client, id } = await connect(t, mock);
      const r = await m.api(`${p.routes.list}/${encodeURIComponent(id)}`, { method: 'DELETE' });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, p.api.closed(id));
      assert.deepEqual(await idsOf(mock.id), []);
      assert.equal(await client.goodbye, a.goodbye.admin);
      const again = await m.api(`${p.routes.list}/${encodeURIComponent(id)}`, { method: 'DELETE' });
      assert.equal(again.status, 404);
      assert.deepEqual(again.body, { error: 'not_found', message: p.api.notFound });
    });

    test('mock-scoped routes list and close only that mock\'s connections', async (t) => {
      const mine = await newMock();
      const other = await newMock('b');
      const first = await connect(t, mine);
      const second = await connect(t, mine);
      const theirs = await connect(t, other);
      const list = await m.api(`/mocks/${mine.id}/${p.routes.scoped}/connections`);
      assert.deepEqual(Object.keys(list.body), [p.listKey, 'count', 'mockId']);
      assert.equal(list.body.count, 2);
      assert.equal(list.body.mockId, mine.id);
      assert.deepEqual(list.body[p.listKey].map((c: { id: string }) => c.id), [first.id, second.id], 'oldest first');
      const r = await m.api(`/mocks/${mine.id}/${p.routes.scoped}/connections`, { method: 'DELETE' });
      assert.deepEqual(r.body, { message: p.api.closedMany, closed: 2, mockId: mine.id });
      assert.equal(await first.client.goodbye, a.goodbye.admin);
      assert.equal(await second.client.goodbye, a.goodbye.admin);
      assert.deepEqual(await idsOf(mine.id), []);
      assert.equal((await m.api(p.routes.stats)).body.connectionsByMock[mine.id], undefined);
      assert.deepEqual(await idsOf(other.id), [theirs.id]);
    });

    test('mock-scoped routes list and close nothing for a mock of another kind, and answer 404 for an unknown mock', async () => {
      const plain = await m.createMock({ id: `plain_${++seq}`, type: 'http', http: { matcher: { path: `/plain_${seq}` }, response: { statusCode: 200 } } });
      const scoped = `/mocks/${plain.id}/${p.routes.scoped}/connections`;
      assert.deepEqual((await m.api(scoped)).body, { [p.listKey]: [], count: 0, mockId: plain.id });
      assert.deepEqual((await m.api(scoped, { method: 'DELETE' })).body, { message: p.api.closedMany, closed: 0, mockId: plain.id });
      for (const method of ['GET', 'DELETE']) {
        const r = await m.api(`/mocks/no-such-mock/${p.routes.scoped}/connections`, { method });
        assert.equal(r.status, 404);
        assert.equal(r.body.error, 'not_found');
      }
    });

    test('a mock update gives every client of that mock its goodbye and touches no client of another mock', async (t) => {
      const mine = await newMock();
      const other = await newMock('b');
      const clients = [await connect(t, mine), await connect(t, mine)];
      const bystander = await connect(t, other);
      let bystanderGone = false;
      void bystander.client.goodbye.then(() => (bystanderGone = true), () => undefined);
      const body = a.mock(mine.id, 'c');
      const r = await m.api(`/mocks/${mine.id}`, { method: 'PUT', body });
      assert.equal(r.status, 200);
      for (const c of clients) assert.equal(await c.client.goodbye, a.goodbye.mock_changed);
      assert.deepEqual(await idsOf(mine.id), []);
      // The bystander is still listed after every goodbye of the update arrived, and its client saw nothing.
      assert.deepEqual(await idsOf(other.id), [bystander.id]);
      assert.equal(bystanderGone, false);
    });

    test('a client that leaves by itself drops out of the listing, and the totals keep counting it', async (t) => {
      const mock = await newMock();
      const before = (await m.api(p.routes.stats)).body;
      const { client, id } = await connect(t, mock);
      const during = (await m.api(p.routes.stats)).body;
      assert.equal(during.connectionsByMock[mock.id], 1);
      client.leave();
      await eventually(() => idsOf(mock.id), (ids) => !ids.includes(id));
      const afterwards = (await m.api(p.routes.stats)).body;
      assert.equal(afterwards.connectionsByMock[mock.id], undefined, 'a mock without connections is left out');
      const total = a.protocol === 'grpc' ? 'totalStreams' : 'totalConnections';
      assert.equal(afterwards[total], before[total] + 1);
    });
  });
}
