// Cluster mode (README "Cluster mode"): three `mockd start --cluster` replicas on one real redis-server share one
// set of mocks, one connection registry and one journal. Each replica is a subprocess; clients connect to one
// replica, and the admin calls go to another.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { eventually, runCli } from '../helpers/mockd.ts';
import { deferred, fetchWithTimeout, within } from '../helpers/wait.ts';
import { hasRedis } from '../helpers/redis.ts';
import { connect as wsConnect } from '../protocols/websocket/helpers.ts';
import { openStream, ticking } from '../protocols/sse/helpers.ts';
import { connect as mqttConnect, collect } from '../protocols/mqtt/helpers.ts';
import { greeterClient, grpc, HELLO_PROTO, nextMessage, statusOf } from '../protocols/grpc/helpers.ts';
import { sharedCluster, type Replica } from './helpers.ts';

const skip = hasRedis ? false : 'redis-server is not installed (apt-get install redis-server)';

const GREETER = { 'helloworld.Greeter': { methods: { Chat: { responses: [{ message: 'pong' }] } } } };

/** The mock as replica `r` serves it (an own-port mock has its own port on each replica). */
async function mockOn(r: Replica, id: string): Promise<any> {
  return eventually(() => r.api(`/mocks/${id}`), (res) => res.status === 200, 10_000).then((res) => res.body);
}

describe('a cluster of three replicas', { skip }, () => {
  const cluster = sharedCluster(['a', 'b', 'c']);

  test('a mock created on replica A serves on B and C, and the write answered with the stored mock', async () => {
    const [a, b, c] = cluster().replicas;
    const created = await a!.api('/mocks', { method: 'POST', body: { id: 'http_hello', type: 'http', http: { matcher: { method: 'GET', path: '/hello' }, response: { statusCode: 200, body: 'hello from the cluster' } } } });
    assert.equal(created.status, 201);
    for (const r of [b!, c!]) {
      const res = await eventually(() => fetchWithTimeout(`${r.mockUrl}/hello`), (res) => res.status === 200, 10_000);
      assert.equal(await res.text(), 'hello from the cluster');
    }
  });

  test('verify and the journal on A count requests served by B and C', async () => {
    const [a, b, c] = cluster().replicas;
    await a!.createMock({ id: 'http_counted', type: 'http', http: { matcher: { path: '/counted' }, response: { statusCode: 200, body: 'ok' } } });
    await eventually(() => fetchWithTimeout(`${b!.mockUrl}/counted`), (res) => res.status === 200, 10_000);
    await eventually(() => fetchWithTimeout(`${c!.mockUrl}/counted`), (res) => res.status === 200, 10_000);
    await (await fetchWithTimeout(`${b!.mockUrl}/counted`)).text();
    const verify = await eventually(() => a!.api('/mocks/http_counted/verify', { method: 'POST', body: { exactly: 3 } }), (r) => r.body.passed === true);
    assert.equal(verify.body.actual, 3);
    const { body } = await a!.api('/requests?mockId=http_counted');
    assert.deepEqual(body.requests.map((e: any) => e.replica).sort(), ['b', 'b', 'c']);
    const ids = body.requests.map((e: any) => e.id);
    assert.equal(new Set(ids).size, 3, 'journal ids are unique across replicas');

    const waiting = a!.api('/requests/wait', { method: 'POST', body: { filter: { mockId: 'http_counted' }, count: 1, timeoutMs: 8000 } });
    let answered = false;
    void waiting.then(() => (answered = true));
    // The wait counts only requests that arrive after A took it; keep requesting on C until it answers.
    await eventually(async () => {
      await (await fetchWithTimeout(`${c!.mockUrl}/counted`)).text();
      return answered;
    }, (done) => done, 8000);
    const waited = await waiting;
    assert.equal(waited.body.passed, true);
    assert.equal(waited.body.requests[0].replica, 'c');
  });

  test('WebSocket clients on B and C are listed, sent to and closed from A', async (t) => {
    const [a, b, c] = cluster().replicas;
    await a!.createMock({ id: 'ws_chat', type: 'websocket', websocket: { path: '/chat', echoMode: true } });
    await mockOn(b!, 'ws_chat');
    await mockOn(c!, 'ws_chat');
    const onB = await eventually(() => wsConnect(t, `${b!.mockUrl.replace('http', 'ws')}/chat`).catch(() => undefined), (x) => x !== undefined, 10_000);
    const onC = await eventually(() => wsConnect(t, `${c!.mockUrl.replace('http', 'ws')}/chat`).catch(() => undefined), (x) => x !== undefined, 10_000);

    const list = await eventually(() => a!.api('/mocks/ws_chat/websocket/connections'), (r) => r.body.count === 2);
    const byReplica = Object.fromEntries(list.body.connections.map((x: any) => [x.replica, x]));
    assert.deepEqual(Object.keys(byReplica).sort(), ['b', 'c']);
    assert.match(byReplica.b.id, /^ws-\d+@b$/);
    const stats = (await a!.api('/websocket/stats')).body;
    assert.equal(stats.connectionsByMock.ws_chat, 2);

    assert.equal((await a!.api(`/websocket/connections/${byReplica.c.id}`)).body.replica, 'c');
    const sent = await a!.api(`/websocket/connections/${byReplica.c.id}/send`, { method: 'POST', body: { data: 'from A' } });
    assert.equal(sent.status, 200);
    assert.equal((await onC!.next()).text, 'from A');

    const closed = await a!.api(`/websocket/connections/${byReplica.b.id}`, { method: 'DELETE' });
    assert.equal(closed.status, 200);
    assert.equal((await onB!.closed()).code, 1000);
    assert.equal((await a!.api('/mocks/ws_chat/websocket/connections')).body.count, 1);
  });

  test('the CLI against A lists and closes a WebSocket client on C', async (t) => {
    const [a, , c] = cluster().replicas;
    await a!.createMock({ id: 'ws_cli', type: 'websocket', websocket: { path: '/cli', echoMode: true } });
    await mockOn(c!, 'ws_cli');
    const client = await eventually(() => wsConnect(t, `${c!.mockUrl.replace('http', 'ws')}/cli`).catch(() => undefined), (x) => x !== undefined, 10_000);
    const listed = await eventually(() => runCli(['websocket', 'connections', 'list', '--json', '--admin-url', a!.adminUrl]), (r) => r.code === 0 && r.stdout.includes('ws_cli'));
    const conn = JSON.parse(listed.stdout).connections.find((x: any) => x.mockId === 'ws_cli');
    assert.equal(conn.replica, 'c');
    const closed = await runCli(['websocket', 'connections', 'close', conn.id, '--admin-url', a!.adminUrl]);
    assert.equal(closed.code, 0, closed.stderr);
    assert.equal(closed.stdout.trim(), `Closed WebSocket connection: ${conn.id}`);
    assert.equal((await client!.closed()).code, 1000);
  });

  test('an id no replica has is 404, on this replica and on another', async () => {
    const [a] = cluster().replicas;
    for (const id of ['ws-999999@b', 'ws-999999', 'ws-1@nobody']) {
      const res = await a!.api(`/websocket/connections/${id}`);
      assert.equal(res.status, 404, id);
      assert.equal(res.body.error, 'not_found');
    }
    const send = await a!.api('/websocket/connections/ws-999999@c/send', { method: 'POST', body: { data: 'x' } });
    assert.equal(send.status, 404);
  });

  test('SSE, MQTT and gRPC clients on B and C are listed and closed from A', async (t) => {
    const [a, b, c] = cluster().replicas;
    await a!.createMock({ id: 'sse_ticks', type: 'http', http: { matcher: { path: '/ticks' }, sse: ticking(50) } });
    await a!.createMock({ id: 'mqtt_sensors', type: 'mqtt', mqtt: { port: 0, topics: [] } });
    await a!.createMock({ id: 'grpc_greeter', type: 'grpc', grpc: { port: 0, protoFile: HELLO_PROTO, services: GREETER } });

    await mockOn(b!, 'sse_ticks');
    const stream = await eventually(() => openStream(t, `${b!.mockUrl}/ticks`).catch(() => undefined), (s) => s !== undefined, 10_000);
    await stream!.until('tick-1');
    const mqttPort = (await mockOn(c!, 'mqtt_sensors')).mqtt.port;
    const sensor = await mqttConnect(t as any, mqttPort, { clientId: 'sensor-7' });
    const grpcPort = (await mockOn(c!, 'grpc_greeter')).grpc.port;
    const chat = greeterClient(t as any, grpcPort).Chat();
    chat.write({ name: 'ping' });
    assert.equal((await nextMessage(chat)).message, 'pong');

    const sse = await eventually(() => a!.api('/sse/connections'), (r) => r.body.connections.length === 1);
    assert.equal(sse.body.connections[0].replica, 'b');
    const mq = await eventually(() => a!.api('/mqtt-connections'), (r) => r.body.connections.length === 1);
    assert.equal(mq.body.connections[0].id, 'sensor-7@c');
    const gr = await eventually(() => a!.api('/grpc/connections'), (r) => r.body.streams.length === 1);
    assert.equal(gr.body.streams[0].replica, 'c');

    const mqttClosed = deferred();
    sensor.once('close', () => mqttClosed.resolve());
    const grpcStatus = statusOf(chat);
    assert.equal((await a!.api(`/sse/connections/${sse.body.connections[0].id}`, { method: 'DELETE' })).status, 200);
    assert.equal((await a!.api('/mqtt-connections/sensor-7@c', { method: 'DELETE' })).status, 200);
    assert.equal((await a!.api(`/grpc/connections/${gr.body.streams[0].id}`, { method: 'DELETE' })).status, 200);
    assert.equal(await stream!.ended, 'end');
    await within(mqttClosed.promise, 'the MQTT client on C to be disconnected');
    assert.equal((await grpcStatus).code, grpc.status.UNAVAILABLE);
    assert.equal((await a!.api('/mqtt-connections')).body.connections.length, 0);
  });

  test('an update on C gives every WebSocket client on every replica its goodbye (1012)', async (t) => {
    const [a, b, c] = cluster().replicas;
    await a!.createMock({ id: 'ws_update', type: 'websocket', websocket: { path: '/update', echoMode: true } });
    const clients = [];
    for (const r of [a!, b!, c!]) {
      await mockOn(r, 'ws_update');
      clients.push(await eventually(() => wsConnect(t, `${r.mockUrl.replace('http', 'ws')}/update`).catch(() => undefined), (x) => x !== undefined, 10_000));
    }
    await eventually(() => a!.api('/mocks/ws_update/websocket/connections'), (r) => r.body.count === 3);
    const updated = await c!.api('/mocks/ws_update', { method: 'PUT', body: { type: 'websocket', websocket: { path: '/update', echoMode: false } } });
    assert.equal(updated.status, 200);
    const codes = await Promise.all(clients.map((x) => x!.closed(10_000).then((c) => c.code)));
    assert.deepEqual(codes, [1012, 1012, 1012]);
    for (const r of [a!, b!]) {
      const got = await eventually(() => r.api('/mocks/ws_update'), (res) => res.body.websocket.echoMode === false);
      assert.equal(got.status, 200);
    }
  });

  test('an update on C ends SSE streams, MQTT clients and gRPC streams on A and B with the mock-change goodbye', async (t) => {
    const [a, b, c] = cluster().replicas;
    await c!.createMock({ id: 'sse_upd', type: 'http', http: { matcher: { path: '/sse-upd' }, sse: ticking(50) } });
    await c!.createMock({ id: 'mqtt_upd', type: 'mqtt', mqtt: { port: 0, topics: [] } });
    await c!.createMock({ id: 'grpc_upd', type: 'grpc', grpc: { port: 0, protoFile: HELLO_PROTO, services: GREETER } });
    const streams = [];
    const mqttClosed = [];
    for (const r of [a!, b!]) {
      await mockOn(r, 'sse_upd');
      const stream = await eventually(() => openStream(t, `${r.mockUrl}/sse-upd`).catch(() => undefined), (s) => s !== undefined, 10_000);
      await stream!.until('tick-1');
      streams.push(stream!);
      const client = await mqttConnect(t as any, (await mockOn(r, 'mqtt_upd')).mqtt.port, { clientId: `upd-${r.id}` });
      const closed = deferred();
      client.once('close', () => closed.resolve());
      mqttClosed.push(closed.promise);
    }
    const chat = greeterClient(t as any, (await mockOn(b!, 'grpc_upd')).grpc.port).Chat();
    chat.write({ name: 'ping' });
    assert.equal((await nextMessage(chat)).message, 'pong');
    const grpcStatus = statusOf(chat);
    await eventually(() => c!.api('/mqtt-connections'), (r) => r.body.connections.length === 2);

    for (const id of ['sse_upd', 'mqtt_upd', 'grpc_upd']) assert.equal((await c!.api(`/mocks/${id}/toggle`, { method: 'POST' })).status, 200);
    assert.deepEqual(await Promise.all(streams.map((s) => s.ended)), ['end', 'end']);
    await within(Promise.all(mqttClosed), 'the MQTT clients on A and B to be disconnected', 10_000);
    assert.equal((await grpcStatus).code, grpc.status.UNAVAILABLE);
    for (const r of [a!, b!]) assert.equal((await r.api('/mocks/sse_upd')).body.enabled, false);
  });

  test('/events on A shows connections opened and closed on B, with the replica named', async (t) => {
    const [a, b] = cluster().replicas;
    await a!.createMock({ id: 'ws_events', type: 'websocket', websocket: { path: '/events-ws', echoMode: true } });
    await mockOn(b!, 'ws_events');
    const events = await openStream(t, `${a!.adminUrl}/events`);
    const client = await eventually(() => wsConnect(t, `${b!.mockUrl.replace('http', 'ws')}/events-ws`).catch(() => undefined), (x) => x !== undefined, 10_000);
    const OPENED = /event:connection\.opened\nid:\d+\ndata:(.*"mockId":"ws_events".*)/;
    const opened = await events.until((text) => OPENED.test(text));
    const data = JSON.parse(OPENED.exec(opened)![1]!);
    assert.equal(data.replica, 'b');
    assert.match(data.id, /^ws-\d+@b$/);
    client!.ws.close();
    await events.until((text) => text.includes('"reason":"client"') && text.includes(`"id":"${data.id}"`));
  });

  test('/events?requests=true on A streams a request served by B', async (t) => {
    const [a, b] = cluster().replicas;
    await a!.createMock({ id: 'http_streamed', type: 'http', http: { matcher: { path: '/streamed' }, response: { statusCode: 200, body: 'ok' } } });
    await eventually(() => fetchWithTimeout(`${b!.mockUrl}/streamed`).then((r) => r.text().then(() => r.status)), (s) => s === 200, 10_000);
    const events = await openStream(t, `${a!.adminUrl}/events?requests=true`);
    // The stream starts hearing the shared journal once open; keep requesting on B until an entry shows up.
    await eventually(async () => {
      await (await fetchWithTimeout(`${b!.mockUrl}/streamed`)).text();
      return events.text;
    }, (text) => /event:request\nid:\d+\ndata:.*"mockId":"http_streamed".*"replica":"b"/.test(text), 8000);
    assert.match(events.text, /"replica":"b"/);
  });

  test('closing all connections of a mock from A closes them on every replica', async (t) => {
    const [a, b, c] = cluster().replicas;
    await a!.createMock({ id: 'ws_all', type: 'websocket', websocket: { path: '/all', echoMode: true } });
    const clients = [];
    for (const r of [b!, c!]) {
      await mockOn(r, 'ws_all');
      clients.push(await eventually(() => wsConnect(t, `${r.mockUrl.replace('http', 'ws')}/all`).catch(() => undefined), (x) => x !== undefined, 10_000));
    }
    await eventually(() => a!.api('/mocks/ws_all/websocket/connections'), (r) => r.body.count === 2);
    const res = await a!.api('/mocks/ws_all/websocket/connections', { method: 'DELETE' });
    assert.deepEqual(res.body, { message: 'Connections closed', closed: 2, mockId: 'ws_all' });
    assert.deepEqual(await Promise.all(clients.map((x) => x!.closed().then((c) => c.code))), [1000, 1000]);
  });

  test('an MQTT PUBLISH on A reaches a subscriber on C, and a retained message is shared', async (t) => {
    const [a, , c] = cluster().replicas;
    await a!.createMock({ id: 'mqtt_shared', type: 'mqtt', mqtt: { port: 0, topics: [] } });
    const portA = (await mockOn(a!, 'mqtt_shared')).mqtt.port;
    const portC = (await mockOn(c!, 'mqtt_shared')).mqtt.port;
    const subscriber = await mqttConnect(t as any, portC, { clientId: 'sub-c' });
    const inbox = collect(subscriber);
    await subscriber.subscribeAsync('plant/+/temp', { qos: 1 });
    const publisher = await mqttConnect(t as any, portA, { clientId: 'pub-a' });
    await publisher.publishAsync('plant/7/temp', '21.5', { qos: 1 });
    const [got] = await inbox.next(1);
    assert.deepEqual({ topic: got!.topic, payload: got!.payload }, { topic: 'plant/7/temp', payload: '21.5' });

    await publisher.publishAsync('plant/status', 'up', { qos: 1, retain: true });
    const late = await mqttConnect(t as any, portC, { clientId: 'late-c' });
    const lateInbox = collect(late);
    await late.subscribeAsync('plant/status', { qos: 1 });
    const [retained] = await lateInbox.next(1);
    assert.deepEqual({ payload: retained!.payload, retain: retained!.retain }, { payload: 'up', retain: true });
  });

  test('a scheduled MQTT message is sent by one replica only: a subscriber gets each tick once', async (t) => {
    const [a, , c] = cluster().replicas;
    await a!.createMock({ id: 'mqtt_ticks', type: 'mqtt', mqtt: { port: 0, topics: [{ topic: 'clock/tick', messages: [{ payload: 'tick', repeat: true, interval: '400ms' }] }] } });
    const portC = (await mockOn(c!, 'mqtt_ticks')).mqtt.port;
    const subscriber = await mqttConnect(t as any, portC, { clientId: 'ticks-c' });
    const arrivals: number[] = [];
    const fourth = deferred<void>();
    subscriber.on('message', (topic) => {
      if (topic !== 'clock/tick') return;
      arrivals.push(performance.now());
      if (arrivals.length === 4) fourth.resolve();
    });
    await subscriber.subscribeAsync('clock/tick', { qos: 0 });
    await within(fourth.promise, 'four ticks on C', 10_000);
    // Three replicas each sending the schedule would deliver every tick three times, a few ms apart.
    const gaps = arrivals.slice(1).map((at, i) => at - arrivals[i]!);
    assert.ok(gaps.every((g) => g > 200), `ticks ${gaps.map((g) => g.toFixed(0)).join(', ')} ms apart, expected about 400`);
  });

  test('an MQTT session is shared: a client away from A gets on C what was published on B meanwhile', async (t) => {
    const [a, b, c] = cluster().replicas;
    await a!.createMock({ id: 'mqtt_session', type: 'mqtt', mqtt: { port: 0, topics: [] } });
    const [portA, portB, portC] = await Promise.all([a!, b!, c!].map(async (r) => (await mockOn(r, 'mqtt_session')).mqtt.port));
    const first = await mqttConnect(t as any, portA!, { clientId: 'roamer', clean: false });
    await first.subscribeAsync('orders/#', { qos: 1 });
    await first.endAsync();
    const publisher = await mqttConnect(t as any, portB!, { clientId: 'shop-b' });
    await publisher.publishAsync('orders/42', 'paid', { qos: 1 });
    // Listening before CONNECT: the queued message may come in the same read as the CONNACK.
    const again = mqtt.connect({ host: '127.0.0.1', port: portC!, clientId: 'roamer', clean: false, protocolVersion: 4, reconnectPeriod: 0 });
    t.after(() => again.end(true));
    const got = deferred<{ topic: string; payload: string }>();
    again.on('message', (topic, payload) => got.resolve({ topic, payload: payload.toString() }));
    assert.deepEqual(await within(got.promise, 'the queued message on C'), { topic: 'orders/42', payload: 'paid' });
  });

  test('concurrent creates of one id on two replicas end in one winner; both answers are truthful', async () => {
    const [a, b, c] = cluster().replicas;
    const body = (who: string) => ({ id: 'http_race', type: 'http', http: { matcher: { path: '/race' }, response: { statusCode: 200, body: who } } });
    const [ra, rb] = await Promise.all([a!.api('/mocks', { method: 'POST', body: body('a') }), b!.api('/mocks', { method: 'POST', body: body('b') })]);
    const statuses = [ra.status, rb.status].sort();
    assert.deepEqual(statuses, [201, 409]);
    const winner = ra.status === 201 ? 'a' : 'b';
    for (const r of [a!, b!, c!]) {
      const res = await eventually(() => fetchWithTimeout(`${r.mockUrl}/race`).then(async (x) => x.status === 200 ? x.text() : ''), (text) => text === winner, 10_000);
      assert.equal(res, winner);
    }
  });

  test('concurrent updates of one mock on two replicas leave every replica on the same version', async () => {
    const [a, b, c] = cluster().replicas;
    await a!.createMock({ id: 'http_upd', type: 'http', http: { matcher: { path: '/upd' }, response: { statusCode: 200, body: 'v0' } } });
    await mockOn(b!, 'http_upd');
    const put = (r: Replica, text: string) => r.api('/mocks/http_upd', { method: 'PUT', body: { type: 'http', http: { matcher: { path: '/upd' }, response: { statusCode: 200, body: text } } } });
    const answers = await Promise.all([put(a!, 'from-a'), put(b!, 'from-b'), put(a!, 'from-a2'), put(b!, 'from-b2')]);
    assert.ok(answers.every((x) => x.status === 200));
    const bodies = await eventually(
      () => Promise.all([a!, b!, c!].map((r) => fetchWithTimeout(`${r.mockUrl}/upd`).then((x) => x.text()))),
      (texts) => texts[0] !== 'v0' && texts.every((x) => x === texts[0]),
      10_000,
    );
    assert.ok(['from-a', 'from-b', 'from-a2', 'from-b2'].includes(bodies[0]!));
  });

  test('/health and `mockd health` on any replica list the three replicas', async () => {
    const [a, b] = cluster().replicas;
    const health = await eventually(() => b!.api('/health'), (r) => r.body.cluster?.replicas.length === 3);
    assert.equal(health.body.cluster.replica, 'b');
    assert.equal(health.body.cluster.redis, 'connected');
    assert.deepEqual(health.body.cluster.replicas.map((r: any) => [r.id, r.state]), [['b', 'self'], ['a', 'up'], ['c', 'up']]);
    const cli = await runCli(['health', '--admin-url', a!.adminUrl]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /Cluster: replica a, Redis connected/);
    assert.match(cli.stdout, /^b\s+up\s+http/m);
  });

  test('killing replica B removes its connections from A\'s list within the heartbeat bound (4 s)', async (t) => {
    const [a, b] = cluster().replicas;
    await a!.createMock({ id: 'ws_kill', type: 'websocket', websocket: { path: '/kill', echoMode: true } });
    await mockOn(b!, 'ws_kill');
    await eventually(() => wsConnect(t, `${b!.mockUrl.replace('http', 'ws')}/kill`).catch(() => undefined), (x) => x !== undefined, 10_000);
    await eventually(() => a!.api('/mocks/ws_kill/websocket/connections'), (r) => r.body.count === 1);
    const killedAt = Date.now();
    await b!.stop('SIGKILL');
    await eventually(() => a!.api('/mocks/ws_kill/websocket/connections'), (r) => r.body.count === 0, 8000);
    const gone = await eventually(() => a!.api('/health'), (r) => !r.body.cluster.replicas.some((x: any) => x.id === 'b'), 8000);
    assert.ok(gone.body.cluster.replicas.length === 2);
    assert.ok(Date.now() - killedAt < 6000, `took ${Date.now() - killedAt} ms`);
  });
});
