import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMock, collect, connect, mqttMock, startHost } from './helpers.ts';

describe('onPublish', () => {
  test('answers a client publish on a matching topic with the templated response on the same topic', async (t) => {
    const host = await startHost(t);
    const topics = [
      {
        topic: 'cmd/+/exec',
        onPublish: { response: { payload: 'ok {{topic}} from {{clientid}}: {{payload}} n={{request.body.n}} raw={{request.rawBody}}' } },
      },
    ];
    const port = await applyMock(host, mqttMock('mqtt_resp', { topics }));
    const sub = await connect(t, port);
    const inbox = collect(sub);
    await sub.subscribeAsync('cmd/#');
    const device = await connect(t, port, { clientId: 'device-9' });
    await device.publishAsync('cmd/lamp/exec', '{"n":7}');
    const got = await inbox.next(2);
    assert.equal(got[0]!.payload, '{"n":7}');
    assert.equal(got[1]!.topic, 'cmd/lamp/exec');
    assert.equal(got[1]!.payload, 'ok cmd/lamp/exec from device-9: {"n":7} n=7 raw={"n":7}');
  });

  test('forwards the received payload to another topic', async (t) => {
    const host = await startHost(t);
    const topics = [{ topic: 'cmd/#', onPublish: { forward: 'audit/cmd' } }];
    const port = await applyMock(host, mqttMock('mqtt_fwd', { topics }));
    const auditor = await connect(t, port);
    const inbox = collect(auditor);
    await auditor.subscribeAsync('audit/cmd');
    const device = await connect(t, port);
    await device.publishAsync('cmd/x', 'reboot', { qos: 1 });
    const [msg] = await inbox.next();
    assert.deepEqual(msg, { topic: 'audit/cmd', payload: 'reboot', qos: 0, retain: false });
  });

  test('never reacts to its own publishes, so a response on the same topic and a forward cycle do not loop', async (t) => {
    const host = await startHost(t);
    const topics = [
      { topic: 'ping', onPublish: { response: { payload: 'pong' }, forward: 'mirror' } },
      { topic: 'mirror', onPublish: { forward: 'ping' } },
    ];
    const port = await applyMock(host, mqttMock('mqtt_loop', { topics }));
    const sub = await connect(t, port);
    const inbox = collect(sub);
    await sub.subscribeAsync(['ping', 'mirror', 'marker']);
    const client = await connect(t, port);
    await client.publishAsync('ping', 'hi');
    await inbox.next(3);
    // Anything a loop produced would be routed before this marker.
    await client.publishAsync('marker', 'end');
    const got = await inbox.next(4);
    assert.deepEqual(
      got.map((m) => `${m.topic}=${m.payload}`),
      ['ping=hi', 'ping=pong', 'mirror=hi', 'marker=end'],
    );
  });

  test('ignores publishes on topics no entry matches', async (t) => {
    const host = await startHost(t);
    const topics = [{ topic: 'cmd/+', onPublish: { response: { payload: 'ack' } } }];
    const port = await applyMock(host, mqttMock('mqtt_nomatch', { topics }));
    const sub = await connect(t, port);
    const inbox = collect(sub);
    await sub.subscribeAsync('#');
    const client = await connect(t, port);
    await client.publishAsync('cmd/a/b', 'deep');
    await client.publishAsync('marker', 'end');
    const got = await inbox.next(2);
    assert.deepEqual(got.map((m) => m.payload), ['deep', 'end']);
  });
});
