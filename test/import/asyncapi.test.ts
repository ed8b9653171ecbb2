// AsyncAPI 2.6 and 3.0 imports (issue 22): the Streetlights API becomes an MQTT broker that publishes schema-valid
// commands at the configured rate and journals invalid measurements as `valid: false`; a ws server becomes a
// WebSocket mock that streams its messages and checks what it receives.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { eventually, startMockd } from '../helpers/mockd.ts';
import { connect as connectMqtt, collect } from '../protocols/mqtt/helpers.ts';
import { connect as connectWs, wsUrl } from '../protocols/websocket/helpers.ts';
import { CONTRACTS, createSchemaValidator, fixture, postImport } from './helpers.ts';

const check = createSchemaValidator();
const schemas = parseYaml(fixture('streetlights-2.6.yaml')).components.schemas;
const withSentAt = (s: any) => ({ ...s, properties: { ...s.properties, sentAt: schemas.sentAt } });
const DIM = withSentAt(schemas.dimLightPayload);
const MEASURED = withSentAt(schemas.lightMeasuredPayload);

/** The journal entries matching `query` once there are `count` of them (they may have arrived before the call). */
async function journaled(m: any, query: string, count = 1) {
  const r = await eventually(() => m.api(`/requests?${query}`), (r: any) => r.body.total >= count);
  return r.body.requests;
}

describe('when the Streetlights AsyncAPI 2.6 is posted to /import', () => {
  test('one MQTT mock publishes schema-valid dim commands at the configured rate (x-mockd-interval 100ms) with the operation QoS', async (t) => {
    const m = await startMockd(t);
    const r = await postImport(m, fixture('streetlights-2.6.yaml'));
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.format, 'asyncapi');
    assert.equal(r.body.mocks.length, 1);
    const mock = r.body.mocks[0];
    assert.equal(mock.type, 'mqtt');
    const client = await connectMqtt(t as any, mock.mqtt.port);
    const inbox = collect(client);
    await client.subscribeAsync('smartylighting/streetlights/1/0/action/+/dim', { qos: 1 });
    const first = await inbox.next(1);
    const startedAt = Date.now();
    const eleven = await inbox.next(11);
    const elapsed = Date.now() - startedAt;
    // 10 intervals of 100 ms after the first message: well under the 1 s default, with room for a loaded machine.
    assert.ok(elapsed >= 700 && elapsed < 3000, `10 intervals took ${elapsed} ms`);
    for (const msg of [...first, ...eleven]) {
      assert.equal(msg.topic, 'smartylighting/streetlights/1/0/action/lamp-42/dim');
      assert.equal(msg.qos, 1);
      assert.equal(check(DIM, JSON.parse(msg.payload)), undefined, msg.payload);
    }
  });

  test('an invalid measurement is journaled valid:false with the reason, a valid one valid:true, and verify counts them', async (t) => {
    const m = await startMockd(t);
    const { body } = await postImport(m, fixture('streetlights-2.6.yaml'));
    const mock = body.mocks[0];
    const client = await connectMqtt(t as any, mock.mqtt.port, { clientId: 'lamp-7' });
    const topic = 'smartylighting/streetlights/1/0/event/lamp-7/lighting/measured';
    await client.publishAsync(topic, JSON.stringify({ lumens: -5, sentAt: '2026-03-01T10:15:30Z' }), { qos: 1 });
    await client.publishAsync(topic, JSON.stringify({ lumens: 120, sentAt: '2026-03-01T10:15:31Z' }), { qos: 1 });
    const [invalid] = await journaled(m, `protocol=mqtt&topic=${topic}&valid=false`);
    assert.equal(invalid.mqtt.valid, false);
    assert.match(invalid.mqtt.reason, /\/lumens: must be >= 0/);
    await journaled(m, `protocol=mqtt&topic=${topic}&valid=true`);
    const listed = await m.api(`/requests?protocol=mqtt&mockId=${mock.id}&valid=false`);
    assert.equal(listed.body.total, 1);
    const verified = await m.api(`/mocks/${mock.id}/verify`, { method: 'POST', body: { valid: false, exactly: 1 } });
    assert.equal(verified.body.passed, true, JSON.stringify(verified.body));
    const counted = await m.api(`/mocks/${mock.id}/verify?valid=false`);
    assert.equal(counted.body.callCount, 1);
  });
});

describe('when the Streetlights AsyncAPI 3.0 with a ws server is imported at startup', () => {
  test('the MQTT server becomes a broker and the ws channel a WebSocket mock that streams valid messages and checks received ones', async (t) => {
    const m = await startMockd(t, { imports: [{ path: join(CONTRACTS, 'streetlights-3.0.yaml') }] });
    const { body } = await m.api('/mocks');
    const mqttMock = body.mocks.find((x: any) => x.type === 'mqtt');
    const wsMock = body.mocks.find((x: any) => x.type === 'websocket');
    assert.ok(mqttMock && wsMock, JSON.stringify(body.mocks.map((x: any) => x.type)));
    assert.equal(wsMock.websocket.path, '/streetlights/feed');

    const mqttClient = await connectMqtt(t as any, mqttMock.mqtt.port);
    const inbox = collect(mqttClient);
    await mqttClient.subscribeAsync('smartylighting/streetlights/1/0/action/+/dim', { qos: 1 });
    for (const msg of await inbox.next(3)) assert.equal(check(DIM, JSON.parse(msg.payload)), undefined, msg.payload);

    const ws = await connectWs(t, wsUrl(m.mockUrl, '/streetlights/feed'));
    for (let i = 0; i < 3; i++) {
      const frame = await ws.next();
      assert.equal(check(MEASURED, JSON.parse(frame.text)), undefined, frame.text);
    }
    ws.ws.send(JSON.stringify({ percentage: 150 }));
    const [entry] = await journaled(m, `protocol=websocket&mockId=${wsMock.id}&valid=false`);
    assert.match(entry.websocket.reason, /\/percentage: must be <= 100/);
  });
});
