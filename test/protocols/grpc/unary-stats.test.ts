// Contract §7 "Tracking": unary calls only add to `totalRPCs`; the message counters belong to streams.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockd } from '../../helpers/mockd.ts';
import { callUnary, greeterClient, HELLO_PROTO, readToEnd } from './helpers.ts';

describe('gRPC stats through the admin API', () => {
  test('a unary call adds one to totalRPCs and nothing to the message counters; a stream adds its messages', async (t) => {
    const mockd = await startMockd(t);
    const mock = await mockd.createMock({
      grpc: {
        port: 0,
        protoFile: HELLO_PROTO,
        services: { 'helloworld.Greeter': { methods: { SayHello: { response: { message: 'hi' } }, StreamHellos: { responses: [{ message: 'a' }, { message: 'b' }] } } } },
      },
    });
    const client = greeterClient(t, mock.grpc.port);
    const before = (await mockd.api('/grpc/stats')).body;

    const { response, error } = await callUnary(client, 'SayHello', { name: 'ann' });
    assert.equal(error, undefined);
    assert.equal(response.message, 'hi');
    const afterUnary = (await mockd.api('/grpc/stats')).body;
    assert.deepEqual(
      [afterUnary.totalRPCs - before.totalRPCs, afterUnary.totalMessagesSent - before.totalMessagesSent, afterUnary.totalMessagesRecv - before.totalMessagesRecv],
      [1, 0, 0],
    );

    const outcome = await readToEnd(client.StreamHellos({ name: 'bob' }));
    assert.equal(outcome.messages.length, 2);
    const afterStream = (await mockd.api('/grpc/stats')).body;
    assert.deepEqual(
      [afterStream.totalRPCs - afterUnary.totalRPCs, afterStream.totalMessagesSent - afterUnary.totalMessagesSent, afterStream.totalMessagesRecv - afterUnary.totalMessagesRecv],
      [1, 2, 1],
    );
  });
});
