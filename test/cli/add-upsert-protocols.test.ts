// `mockd add` updates a WebSocket mock by path, an MQTT topic by port and a gRPC method by port (issue 24).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, runCli, startMockd } from '../helpers/mockd.ts';
import { freePort } from '../helpers/go-compat.ts';

const PROTO = join(ROOT, 'test/fixtures/grpc/helloworld.proto');

describe('mockd add updates a mock of another protocol that already answers the same thing', () => {
  test('WebSocket by path, MQTT by topic and port, gRPC by service, method and port', async (t) => {
    const m = await startMockd(t);
    const admin = ['--admin-url', m.adminUrl];
    const ws1 = await runCli(['add', 'ws', '--path', '/ws/chat', '--message', 'first', ...admin]);
    const wsId = /^Created mock: (\S+)$/m.exec(ws1.stdout)![1];
    const ws2 = await runCli(['add', 'websocket', '--path', '/ws/chat', '--message', 'second', ...admin]);
    assert.match(ws2.stdout, new RegExp(`^Updated mock: ${wsId}$`, 'm'));
    assert.deepEqual((await m.api(`/mocks/${wsId}`)).body.websocket.defaultResponse, { type: 'text', value: 'second' });

    const mqttPort = String(await freePort());
    const mq1 = await runCli(['add', 'mqtt', '--mqtt-port', mqttPort, '--topic', 'sensors/temp', '--payload', '20', ...admin]);
    const mqttId = /^Created mock: (\S+)$/m.exec(mq1.stdout)![1];
    const mq2 = await runCli(['add', 'mqtt', '--mqtt-port', mqttPort, '--topic', 'sensors/humidity', '--payload', '50', ...admin]);
    assert.match(mq2.stdout, new RegExp(`^Merged into mock: ${mqttId}$`, 'm'));
    const mq3 = await runCli(['add', 'mqtt', '--mqtt-port', mqttPort, '--topic', 'sensors/temp', '--payload', '25', ...admin]);
    assert.equal(mq3.code, 0, mq3.stderr);
    assert.match(mq3.stdout, new RegExp(`^Updated mock: ${mqttId}$`, 'm'));
    const topics = (await m.api(`/mocks/${mqttId}`)).body.mqtt.topics;
    assert.deepEqual(topics.map((x: any) => [x.topic, x.messages[0].payload]), [['sensors/temp', '25'], ['sensors/humidity', '50']]);

    const grpcPort = String(await freePort());
    const grpcArgs = ['add', 'grpc', '--proto', PROTO, '--service', 'helloworld.Greeter', '--grpc-port', grpcPort, ...admin];
    const g1 = await runCli([...grpcArgs, '--rpc-method', 'SayHello', '--response', '{"message":"one"}']);
    const grpcId = /^Created mock: (\S+)$/m.exec(g1.stdout)![1];
    const g2 = await runCli([...grpcArgs, '--rpc-method', 'SayHello', '--response', '{"message":"two"}', '--json']);
    assert.equal(g2.code, 0, g2.stderr);
    const updated = JSON.parse(g2.stdout);
    assert.equal(updated.action, 'updated');
    assert.equal(updated.id, grpcId);
    assert.deepEqual(updated.mock.grpc.services['helloworld.Greeter'].methods.SayHello.response, { message: 'two' });
    assert.equal((await m.api('/mocks')).body.total, 3);
  });
});
