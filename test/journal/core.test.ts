import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../helpers/mockd.ts';
import { callUnary, connectMqtt, createBroker, createGrpc, greeter, idNumber, nextMqttMessage, requests, sharedMockd, startWait } from './helpers.ts';

const HELLO = { SayHello: { response: { message: 'hi' } } };

describe('verify and invocations', () => {
  const mockd = sharedMockd();

  test('counts the PUBLISHes a broker mock received on its topics, not deliveries or other topics', async (t) => {
    const m = mockd();
    const broker = await createBroker(m);
    const sub = await connectMqtt(t, broker.port, 'watcher');
    await sub.subscribeAsync('#');
    const pub = await connectMqtt(t, broker.port, 'sensor-1');
    for (const topic of ['a/b', 'z/z', 'a/b']) {
      const seen = nextMqttMessage(sub);
      await pub.publishAsync(topic, 'p', { qos: 1 });
      await seen;
    }
    const ins = (await requests(m, { mockId: broker.id })).requests.filter((e) => e.mqtt.direction === 'in' && e.matched);

    const verify = await m.api(`/mocks/${broker.id}/verify`);
    assert.deepEqual(verify.body, { mockId: broker.id, callCount: 2, lastCalledAt: ins[1].timestamp });

    const check = async (body: unknown) => (await m.api(`/mocks/${broker.id}/verify`, { method: 'POST', body })).body;
    assert.deepEqual(await check({ exactly: 2 }), { passed: true, actual: 2, expected: 'exactly 2', message: 'Verified: 2 calls, expected exactly 2' });
    assert.deepEqual(await check({ atLeast: 3 }), {
      passed: false,
      actual: 2,
      expected: 'at least 3',
      message: 'Verification failed: expected at least 3, got 2 calls',
    });
    assert.equal((await check({ atMost: 2 })).passed, true);
    assert.equal((await check({ atMost: 1 })).passed, false);
    assert.deepEqual(await check({ never: true }), { passed: false, actual: 2, expected: 'never', message: 'Verification failed: expected never, got 2 calls' });
    const both = await check({ atLeast: 1, atMost: 5 });
    assert.deepEqual([both.passed, both.expected], [true, 'at least 1 and at most 5']);

    const invocations = await m.api(`/mocks/${broker.id}/invocations`);
    assert.deepEqual(invocations.body.invocations.map((e: any) => e.id), ins.map((e) => e.id));
    assert.deepEqual([invocations.body.count, invocations.body.total], [2, 2]);

    // DELETE removes every entry of the mock (deliveries and unmatched publishes too), so verify drops to zero.
    const cleared = await m.api(`/mocks/${broker.id}/invocations`, { method: 'DELETE' });
    assert.deepEqual(cleared.body, { message: 'Invocations cleared', cleared: 6 });
    assert.deepEqual((await m.api(`/mocks/${broker.id}/verify`)).body, { mockId: broker.id, callCount: 0 });
    assert.equal((await requests(m, { mockId: broker.id })).total, 0);
    assert.equal((await m.api(`/mocks/${broker.id}/invocations`)).body.total, 0);
  });

  test('counts gRPC calls of the mock that answered them', async (t) => {
    const m = mockd();
    const mock = await createGrpc(m, HELLO);
    const client = greeter(t, mock.port);
    await callUnary(client, 'SayHello', { name: 'a' });
    await callUnary(client, 'SayHello', { name: 'b' });
    const calls = (await requests(m, { mockId: mock.id })).requests;

    assert.deepEqual((await m.api(`/mocks/${mock.id}/verify`)).body, { mockId: mock.id, callCount: 2, lastCalledAt: calls[1].timestamp });
    const check = await m.api(`/mocks/${mock.id}/verify`, { method: 'POST', body: { exactly: 1 } });
    assert.deepEqual(check.body, { passed: false, actual: 2, expected: 'exactly 1', message: 'Verification failed: expected exactly 1, got 2 calls' });
    const none = await createGrpc(m, HELLO);
    const never = await m.api(`/mocks/${none.id}/verify`, { method: 'POST', body: { never: true } });
    assert.deepEqual(never.body, { passed: true, actual: 0, expected: 'never', message: 'Verified: 0 calls, expected never' });
  });

  test("keeps a mock's entries when the mock is updated", async (t) => {
    const m = mockd();
    const broker = await createBroker(m);
    const pub = await connectMqtt(t, broker.port, 'before-put');
    await pub.publishAsync('a/b', 'kept', { qos: 1 });
    const put = await m.api(`/mocks/${broker.id}`, { method: 'PUT', body: { type: 'mqtt', mqtt: { port: broker.port, topics: [{ topic: 'a/b' }, { topic: 'c/d' }] } } });
    assert.equal(put.status, 200);

    const after = await requests(m, { mockId: broker.id });
    assert.deepEqual(after.requests.map((e) => e.mqtt.payload), ['kept']);
    assert.equal((await m.api(`/mocks/${broker.id}/verify`)).body.callCount, 1);
  });

  test('ids increase across the MQTT and gRPC workers, and GET /requests lists both oldest first', async (t) => {
    const m = mockd();
    const broker = await createBroker(m);
    const grpcMock = await createGrpc(m, HELLO);
    const pub = await connectMqtt(t, broker.port, 'mixer');
    const client = greeter(t, grpcMock.port);
    const since = `req-${Math.max(0, ...(await requests(m, { limit: '1000' })).requests.map((e) => idNumber(e.id)))}`;
    await pub.publishAsync('a/b', '1', { qos: 1 });
    await callUnary(client, 'SayHello', { name: '2' });
    await pub.publishAsync('a/b', '3', { qos: 1 });
    await callUnary(client, 'SayHello', { name: '4' });

    const { requests: entries } = await requests(m, { since });
    assert.deepEqual(entries.map((e) => e.protocol), ['mqtt', 'grpc', 'mqtt', 'grpc']);
    const ids = entries.map((e) => idNumber(e.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.equal(new Set(ids).size, 4);
    const one = await m.api(`/requests/${entries[1].id}`);
    assert.deepEqual(one.body, entries[1]);
    assert.equal((await m.api('/requests/req-999999')).status, 404);
  });

  test('DELETE /requests empties the journal; ids keep increasing afterwards', async (t) => {
    const m = mockd();
    const broker = await createBroker(m);
    const pub = await connectMqtt(t, broker.port, 'clearer');
    await pub.publishAsync('a/b', 'old', { qos: 1 });
    const [old] = (await requests(m, { mockId: broker.id })).requests;

    assert.equal((await m.api('/requests', { method: 'DELETE' })).status, 204);
    assert.deepEqual(await requests(m), { requests: [], count: 0, total: 0 });
    assert.equal((await m.api(`/requests/${old.id}`)).status, 404);

    await pub.publishAsync('a/b', 'new', { qos: 1 });
    const [fresh] = (await requests(m)).requests;
    assert.ok(idNumber(fresh.id) > idNumber(old.id), `${fresh.id} after ${old.id}`);
  });
});

describe('--journal-size', () => {
  test('keeps only the newest entries across all workers, dropping the oldest first', async (t) => {
    const m = await startMockd(t, { journalSize: 5 });
    const broker = await createBroker(m);
    const grpcMock = await createGrpc(m, HELLO);
    const pub = await connectMqtt(t, broker.port, 'ring');
    const client = greeter(t, grpcMock.port);
    for (const n of [1, 2, 3, 4]) await pub.publishAsync('a/b', String(n), { qos: 1 });
    for (const n of [5, 6, 7, 8]) await callUnary(client, 'SayHello', { name: String(n) });

    const all = await requests(m);
    assert.equal(all.total, 5);
    assert.deepEqual(all.requests.map((e) => e.mqtt?.payload ?? e.grpc.body.name), ['4', '5', '6', '7', '8']);
    // Each worker's own ring still holds older MQTT entries; the journal as a whole has dropped them.
    const mqttOnly = await requests(m, { protocol: 'mqtt' });
    assert.deepEqual(mqttOnly.requests.map((e) => e.mqtt.payload), ['4']);
    assert.equal(mqttOnly.total, 1);
    // The entry just before the oldest kept one (payload '3', in the MQTT worker's ring) is gone for GET too.
    assert.equal((await m.api(`/requests/req-${idNumber(all.requests[0].id) - 1}`)).status, 404);
    assert.equal((await m.api(`/mocks/${broker.id}/verify`)).body.callCount, 1);
  });

  test('0 records nothing', async (t) => {
    const m = await startMockd(t, { journalSize: 0 });
    const broker = await createBroker(m);
    const grpcMock = await createGrpc(m, HELLO);
    const pub = await connectMqtt(t, broker.port, 'off');
    const wait = await startWait(m, { filter: { protocol: 'mqtt' }, count: 1, timeoutMs: 300 });
    await pub.publishAsync('a/b', 'x', { qos: 1 });
    assert.equal((await callUnary(greeter(t, grpcMock.port), 'SayHello', { name: 'x' })).response.message, 'hi');

    assert.deepEqual(await requests(m), { requests: [], count: 0, total: 0 });
    assert.deepEqual((await m.api(`/mocks/${grpcMock.id}/verify`)).body, { mockId: grpcMock.id, callCount: 0 });
    assert.deepEqual((await wait.result).body, { passed: false, requests: [] });
  });
});
