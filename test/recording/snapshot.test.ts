// The pure parts of snapshots (issue 21): reading `timing`, and how HTTP entries group into mocks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTiming } from '../../src/recording/timing.ts';
import { httpMocksOf } from '../../src/recording/http.ts';
import { LEAD_MS, mqttMocksOf } from '../../src/recording/mqtt.ts';
import type { JournalEntry } from '../../src/journal/types.ts';

describe('timing', () => {
  const CASES: [unknown, number, number][] = [
    [undefined, 120, 120],
    ['original', 120.4, 120],
    ['none', 120, 0],
    [2, 120, 60],
    ['2x', 120, 60],
    ['0.5', 120, 240],
  ];
  for (const [raw, gap, want] of CASES) {
    test(`${JSON.stringify(raw)} turns a ${gap} ms gap into ${want} ms`, () => assert.equal(parseTiming(raw)(gap), want));
  }
  for (const bad of ['soon', 0, -1, '0x', {}]) {
    test(`${JSON.stringify(bad)} is a 400 on timing`, () => {
      assert.throws(() => parseTiming(bad), (err: any) => err.code === 'validation_error' && err.field === 'timing');
    });
  }
});

function entry(n: number, method: string, path: string, status: number, body: string, query: Record<string, string> = {}): JournalEntry {
  return {
    id: `req-${n}`,
    timestamp: new Date(1_000 + n).toISOString(),
    protocol: 'http',
    mockId: 'p',
    matched: true,
    proxied: true,
    http: { method, path, query, headers: {}, body: '', statusCode: status, durationMs: 3, responseHeaders: { 'content-type': 'text/plain', date: 'x', 'transfer-encoding': 'chunked' }, responseBody: body },
  };
}

describe('HTTP entries into mocks', () => {
  test('collapses identical repeats, makes a sequence of differing answers, and keeps first-seen order', () => {
    const mocks = httpMocksOf([entry(1, 'GET', '/a', 200, 'one'), entry(2, 'GET', '/b', 200, 'x'), entry(3, 'GET', '/a', 200, 'one'), entry(4, 'GET', '/b', 201, 'y')], () => 0);
    assert.deepEqual(mocks.map((m) => m.http!.matcher.path), ['/a', '/b']);
    assert.deepEqual(mocks[0]!.http!.response, { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'one' });
    assert.deepEqual(mocks[1]!.http!.sequence!.map((r) => [r.statusCode, r.body]), [[200, 'x'], [201, 'y']]);
  });

  test('tells requests apart by query and keeps the recorded duration as delayMs under original timing', () => {
    const mocks = httpMocksOf([entry(1, 'GET', '/a', 200, 'q1', { q: '1' }), entry(2, 'GET', '/a', 200, 'q2', { q: '2' })], (g) => g);
    assert.deepEqual(mocks.map((m) => m.http!.matcher.queryParams), [{ q: '1' }, { q: '2' }]);
    assert.equal(mocks[0]!.http!.response!.delayMs, 3);
  });
});

describe('MQTT entries into mocks', () => {
  const publish = (n: number, at: number, topic: string, payload: string, retain = false): JournalEntry => ({
    id: `req-${n}`,
    timestamp: new Date(10_000 + at).toISOString(),
    protocol: 'mqtt',
    mockId: 'b',
    matched: true,
    mqtt: { clientId: 'pub', direction: 'in', topic, qos: 1, retain, payload },
  });

  test('keeps the last retained message, schedules the rest at their offsets, and repeats an evenly spaced equal payload', () => {
    const [mock] = mqttMocksOf([
      publish(1, 0, 'status', 'old', true),
      publish(2, 10, 'status', 'online', true),
      publish(3, 20, 'beat', 'ping'),
      publish(4, 120, 'beat', 'ping'),
      publish(5, 219, 'beat', 'ping'),
      publish(6, 50, 'log', 'a'),
      publish(7, 300, 'log', 'b'),
    ], (g) => g);
    const topics = Object.fromEntries(mock!.mqtt!.topics!.map((t) => [t.topic, t]));
    assert.deepEqual(topics.status, { topic: 'status', qos: 1, retain: true, messages: [{ payload: 'online', delay: 0 }] });
    assert.deepEqual(topics.beat!.messages, [{ payload: 'ping', delay: LEAD_MS + 20, repeat: true, interval: 100 }]);
    assert.deepEqual(topics.log!.messages, [{ payload: 'a', delay: LEAD_MS + 50 }, { payload: 'b', delay: LEAD_MS + 300 }]);
    assert.equal(mock!.mqtt!.port, 0);
  });
});
