// `onChange` (close, drain, keep) and dry runs (README "Mock changes"), written once and run for all four protocols
// with real clients (ws, eventsource, mqtt.js, grpc-js), observed from the client side: a kept client is never
// disconnected and its next message comes from the new version; a drained one stays on the old version until the
// drain timeout, then gets its protocol's goodbye; a closed one gets it at once. A dry run names exactly the
// connections the real change then touches, and both are announced on /events as `change.decided`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import WebSocket from 'ws';
import mqtt from 'mqtt';
import { EventSource } from 'eventsource';
import { eventually, startMockd, type Admin } from '../helpers/mockd.ts';
import { deferred, nextEvent, within } from '../helpers/wait.ts';
import type { RunningMockd } from '../../src/server.ts';
import type { Protocol } from '../../src/contract/protocols.ts';
import { PROTOCOL_PROFILES } from '../../src/contract/profiles.ts';
import { EventStreamClient } from '../admin/event-stream-client.ts';
import { greeterClient, grpc, HELLO_PROTO, nextMessage } from './grpc/helpers.ts';

/** A connected client, seen from its own side. */
interface Client {
  /** The version (`a`, `b`) of the next answer the client gets from now on. */
  ask(): Promise<string>;
  /** How the server ended the client, in the adapter's words. */
  goodbye: Promise<string>;
  isGone(): boolean;
}

interface Adapter {
  protocol: Protocol;
  mock(id: string, version: string, extra?: Record<string, unknown>): Record<string, any>;
  connect(t: TestContext, m: RunningMockd, mock: any): Promise<Client>;
  /** What a client sees when its mock changes and it is closed (or its drain ends). */
  changed: string;
}

function tracked(goodbye: Promise<string>): { goodbye: Promise<string>; isGone: () => boolean } {
  let gone = false;
  void goodbye.then(() => (gone = true), () => (gone = true));
  return { goodbye, isGone: () => gone };
}

const ADAPTERS: Adapter[] = [
  {
    protocol: 'websocket',
    mock: (id, v, extra = {}) => ({ id, type: 'websocket', websocket: { path: `/${id}`, defaultResponse: { type: 'text', value: v } }, ...extra }),
    async connect(t, m, mock) {
      const ws = new WebSocket(`${m.mockUrl.replace('http', 'ws')}${mock.websocket.path}`);
      t.after(() => ws.terminate());
      ws.on('error', () => undefined);
      const closed = deferred<string>();
      ws.once('close', (code) => closed.resolve(`close ${code}`));
      await nextEvent(ws, 'open');
      return {
        ...tracked(closed.promise),
        async ask() {
          const reply = nextEvent(ws, 'message');
          ws.send('q');
          return String((await reply)[0]);
        },
      };
    },
    changed: 'close 1012',
  },
  {
    protocol: 'sse',
    mock: (id, v, extra = {}) => ({
      id,
      type: 'http',
      http: { matcher: { path: `/${id}` }, sse: { generator: { type: 'sequence', sequence: { format: `${v}-%d` } }, timing: { fixedDelay: 50 } } },
      ...extra,
    }),
    async connect(t, m, mock) {
      const es = new EventSource(`${m.mockUrl}${mock.http.matcher.path}`);
      t.after(() => es.close());
      let opens = 0;
      es.addEventListener('open', () => opens++);
      // The stream's end shows as an 'error' (EventSource would reconnect; the test stops it there).
      const ended = deferred<string>();
      es.addEventListener('error', () => {
        es.close();
        ended.resolve(opens === 1 ? 'stream ended' : `reconnected ${opens} times`);
      }, { once: true });
      await nextEvent(es, 'open');
      const next = async () => ((await nextEvent(es, 'message'))[0] as MessageEvent).data as string;
      return {
        ...tracked(ended.promise),
        // An event may be on the wire while a change is applied: the one after it is surely written after the call.
        async ask() {
          await next();
          return (await next()).split('-')[0]!;
        },
      };
    },
    changed: 'stream ended',
  },
  {
    protocol: 'mqtt',
    mock: (id, v, extra = {}) => ({
      id,
      type: 'mqtt',
      mqtt: {
        port: 0,
        topics: [
          { topic: 'state', retain: true, messages: [{ payload: `state-${v}` }] },
          { topic: 'ask/+', onPublish: { response: { payload: v } } },
        ],
      },
      ...extra,
    }),
    async connect(t, m, mock) {
      const clientId = `c${Math.random().toString(36).slice(2, 8)}`;
      const client = mqtt.connect(`mqtt://127.0.0.1:${mock.mqtt.port}`, { clientId, reconnectPeriod: 0, protocolVersion: 4 });
      t.after(() => client.end(true));
      client.on('error', () => undefined);
      await nextEvent(client, 'connect');
      const closed = deferred<string>();
      client.once('close', () => closed.resolve('disconnected'));
      const received: { topic: string; payload: string }[] = [];
      client.on('message', (topic, payload) => received.push({ topic, payload: String(payload) }));
      await client.subscribeAsync([`ask/${clientId}`, 'state'], { qos: 0 });
      const onTopic = (topic: string, skip: (p: string) => boolean) => {
        const found = deferred<string>();
        const on = (tp: string, payload: Buffer) => {
          if (tp !== topic || skip(String(payload))) return;
          client.off('message', on);
          found.resolve(String(payload));
        };
        client.on('message', on);
        return within(found.promise, `a message on ${topic}`);
      };
      return {
        ...tracked(closed.promise),
        async ask() {
          // Our own PUBLISH comes back too (MQTT 3.1.1 has no no-local); the broker's onPublish answer follows it.
          const answer = onTopic(`ask/${clientId}`, (p) => p === 'q');
          await client.publishAsync(`ask/${clientId}`, 'q');
          return answer;
        },
        /** The next message on `state` with this payload (the retained message of a version). */
        state: (payload: string) => (received.some((r) => r.topic === 'state' && r.payload === payload) ? Promise.resolve(payload) : onTopic('state', (p) => p !== payload)),
      } as Client;
    },
    changed: 'disconnected',
  },
  {
    protocol: 'grpc',
    mock: (id, v, extra = {}) => ({
      id,
      type: 'grpc',
      grpc: { port: 0, protoFile: HELLO_PROTO, services: { 'helloworld.Greeter': { methods: { Chat: { responses: [{ message: v }] } } } } },
      ...extra,
    }),
    async connect(t, m, mock) {
      const client = greeterClient(t, mock.grpc.port);
      const call = client.Chat();
      t.after(() => call.cancel());
      call.on('error', () => undefined);
      const status = deferred<string>();
      call.once('status', (s: grpc.StatusObject) => status.resolve(`status ${grpc.status[s.code]}`));
      return {
        ...tracked(status.promise),
        async ask() {
          const reply = nextMessage(call);
          call.write({ name: 'q' });
          return (await reply).message;
        },
      };
    },
    changed: 'status UNAVAILABLE',
  },
];

let seq = 0;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await nextEvent(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const closed = deferred();
  server.close(() => closed.resolve());
  await within(closed.promise, 'the probe server to close');
  return port;
}

for (const a of ADAPTERS) {
  const p = PROTOCOL_PROFILES[a.protocol];
  describe(`${p.label}: what a mock change does to live clients (onChange)`, () => {
    let m: RunningMockd & Admin;
    let events: EventStreamClient;
    const cleanups: (() => unknown)[] = [];
    before(async () => {
      m = await startMockd({ after: (fn: () => unknown) => cleanups.push(fn) });
      events = await EventStreamClient.open(`${m.adminUrl}/events`);
      cleanups.push(() => events.close());
    });
    after(async () => {
      for (const fn of cleanups.reverse()) await fn();
    });

    const idsOf = async (mockId: string): Promise<string[]> => {
      const r = await m.api(`/mocks/${mockId}/${p.routes.scoped}/connections`);
      return (r.body[p.listKey] as { id: string }[]).map((c) => c.id);
    };
    /** Connects a client and resolves with it and its id once the admin API lists it. */
    const connect = async (t: TestContext, mock: any) => {
      const known = new Set(await idsOf(mock.id));
      const client = await a.connect(t, m, mock);
      const ids = await eventually(() => idsOf(mock.id), (ids) => ids.some((id) => !known.has(id)));
      return Object.assign(client, { id: ids.find((id) => !known.has(id))! });
    };
    const put = (id: string, body: unknown, dryRun = false) => m.api(`/mocks/${id}${dryRun ? '?dryRun=true' : ''}`, { method: 'PUT', body });
    const announced = (id: string, dryRun: boolean) => events.take((f) => f.event === 'change.decided' && f.data.mockId === id && f.data.dryRun === dryRun);

    test('keep: the client stays connected and its next message is answered by the new version', async (t) => {
      const id = `${a.protocol}_keep_${++seq}`;
      const mock = await m.createMock(a.mock(id, 'a', { onChange: 'keep' }));
      const c = await connect(t, mock);
      assert.equal(await c.ask(), 'a');

      const next = a.mock(id, 'b', { onChange: 'keep' });
      const dry = await put(id, next, true);
      assert.equal(dry.status, 200);
      assert.equal(dry.body.dryRun, true);
      assert.equal(dry.body.action, 'keep');
      assert.deepEqual(dry.body.connections, { [a.protocol]: { close: [], drain: [], keep: [c.id] } });
      assert.deepEqual(dry.body.ports, { bind: [], free: [] });
      assert.deepEqual((await announced(id, true)).data.connections, dry.body.connections);
      assert.equal(await c.ask(), 'a', 'a dry run changes nothing');

      const real = await put(id, next);
      assert.equal(real.status, 200);
      assert.deepEqual((await announced(id, false)).data.connections, dry.body.connections, 'the real change touches what the dry run named');
      assert.equal(await c.ask(), 'b');
      if (a.protocol === 'mqtt') {
        // The subscriber keeps its session: the new version's retained message reaches it on the old subscription.
        assert.equal(await within((c as any).state('state-b'), 'the new retained message'), 'state-b');
      }
      assert.equal(c.isGone(), false, 'no disconnect');
      assert.deepEqual(await idsOf(id), [c.id], 'the same connection, not a new one');

      // Both the dry run and the decision are journaled, and neither counts as a call of the mock.
      const journal = await m.api(`/requests?mockId=${id}&changes=true`);
      assert.equal((await m.api(`/requests?mockId=${id}&limit=1000`)).body.requests.some((e: any) => e.change), false, 'not among the traffic');
      const changes = journal.body.requests.filter((e: any) => e.change).map((e: any) => [e.protocol, e.change.dryRun, e.change.action, e.change.connections]);
      assert.deepEqual(changes, [
        [a.protocol, true, 'keep', dry.body.connections],
        [a.protocol, false, 'keep', dry.body.connections],
      ]);
    });

    test('drain: new clients get the new version at once; old ones keep the old one until drainTimeoutMs, then the goodbye', async (t) => {
      const id = `${a.protocol}_drain_${++seq}`;
      const policy = { onChange: 'drain', drainTimeoutMs: 1500 };
      const mock = await m.createMock(a.mock(id, 'a', policy));
      const old = await connect(t, mock);
      assert.equal(await old.ask(), 'a');

      const next = a.mock(id, 'b', policy);
      const dry = await put(id, next, true);
      assert.equal(dry.body.action, 'drain');
      assert.equal(dry.body.drainTimeoutMs, 1500);
      assert.deepEqual(dry.body.connections, { [a.protocol]: { close: [], drain: [old.id], keep: [] } });

      const changedAt = Date.now();
      await put(id, next);
      assert.deepEqual((await announced(id, false)).data.connections, dry.body.connections);
      const fresh = await connect(t, { ...mock, ...(await m.api(`/mocks/${id}`)).body });
      assert.equal(await fresh.ask(), 'b');
      assert.equal(await old.ask(), 'a', 'the old client is still on the old version');
      assert.equal(old.isGone(), false);

      assert.equal(await within(old.goodbye, 'the drained client\'s goodbye', 8000), a.changed);
      assert.ok(Date.now() - changedAt >= 1400, `the goodbye came after the drain timeout (${Date.now() - changedAt} ms)`);
      assert.equal(fresh.isGone(), false);
      assert.equal(await fresh.ask(), 'b');
    });

    test('close (the default): every client of the mock gets its goodbye at once', async (t) => {
      const id = `${a.protocol}_close_${++seq}`;
      const mock = await m.createMock(a.mock(id, 'a'));
      const c = await connect(t, mock);
      assert.equal(await c.ask(), 'a');

      const dryDelete = await m.api(`/mocks/${id}?dryRun=true`, { method: 'DELETE' });
      assert.equal(dryDelete.status, 200);
      assert.equal(dryDelete.body.change, 'delete');
      assert.deepEqual(dryDelete.body.connections, { [a.protocol]: { close: [c.id], drain: [], keep: [] } });
      assert.equal((await m.api(`/mocks/${id}`)).status, 200, 'a dry-run delete deletes nothing');

      const dry = await put(id, a.mock(id, 'b'), true);
      assert.equal(dry.body.onChange, 'close');
      assert.deepEqual(dry.body.connections, { [a.protocol]: { close: [c.id], drain: [], keep: [] } });
      await put(id, a.mock(id, 'b'));
      assert.equal(await within(c.goodbye, 'the goodbye', 5000), a.changed);
    });

    test('keep on a disabled mock falls back to close, and says so', async (t) => {
      const id = `${a.protocol}_off_${++seq}`;
      const mock = await m.createMock(a.mock(id, 'a', { onChange: 'keep' }));
      const c = await connect(t, mock);
      const dry = await m.api(`/mocks/${id}?dryRun=true`, { method: 'PATCH', body: { enabled: false } });
      assert.equal(dry.body.action, 'close');
      assert.match(dry.body.fallback, /disabled/);
      assert.deepEqual(dry.body.connections, { [a.protocol]: { close: [c.id], drain: [], keep: [] } });
      if (mock[a.protocol]?.port) assert.deepEqual(dry.body.ports, { bind: [], free: [mock[a.protocol].port] });
      await m.api(`/mocks/${id}`, { method: 'PATCH', body: { enabled: false } });
      assert.equal(await within(c.goodbye, 'the goodbye', 5000), a.changed);
    });

    if (a.protocol === 'mqtt' || a.protocol === 'grpc') {
      test('keep with a new port cannot keep: the dry run names the port to bind and free, and the clients close', async (t) => {
        const id = `${a.protocol}_port_${++seq}`;
        const mock = await m.createMock(a.mock(id, 'a', { onChange: 'keep' }));
        const c = await connect(t, mock);
        const port = await freePort();
        const next = a.mock(id, 'b', { onChange: 'keep' });
        next[a.protocol].port = port;
        const dry = await put(id, next, true);
        assert.equal(dry.body.action, 'close');
        assert.match(dry.body.fallback, /port changed/);
        assert.deepEqual(dry.body.ports, { bind: [port], free: [mock[a.protocol].port] });
        assert.deepEqual(dry.body.connections, { [a.protocol]: { close: [c.id], drain: [], keep: [] } });
        await put(id, next);
        assert.equal(await within(c.goodbye, 'the goodbye', 5000), a.changed);
      });
    }
  });
}
