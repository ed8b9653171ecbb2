// Pure display logic of the dashboard: ages like the CLI's CONNECTED column, byte sizes, and the table's filters.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAge, formatBytes } from '../../dashboard/src/format.ts';
import { toRow } from '../../dashboard/src/protocols.ts';
import { filterRows } from '../../dashboard/src/rows.ts';
import type { Mock } from '../../dashboard/src/types.ts';

describe('formatAge', () => {
  const start = Date.parse('2026-03-01T10:00:00.000Z');
  const cases: [number, string][] = [
    [0, '0s'],
    [45_900, '45s'],
    [192_000, '3m12s'],
    [3_720_000, '1h02m'],
    [-5000, '0s'],
  ];
  for (const [elapsed, expected] of cases) {
    test(`shows ${elapsed} ms as ${expected}`, () => assert.equal(formatAge('2026-03-01T10:00:00.000Z', start + elapsed), expected));
  }
});

describe('formatBytes', () => {
  const cases: [number, string][] = [
    [0, '0 B'],
    [1023, '1023 B'],
    [2048, '2.0 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
  ];
  for (const [n, expected] of cases) test(`shows ${n} as ${expected}`, () => assert.equal(formatBytes(n), expected));
});

describe('filterRows', () => {
  const at = '2026-03-01T10:00:00.000Z';
  const rows = [
    toRow('websocket', { id: 'ws-1', mockId: 'chat', path: '/ws/chat', clientIp: '127.0.0.1:4000', connectedAt: at, messagesSent: 1, messagesRecv: 2, status: 'connected' }),
    toRow('sse', { id: 'sse-1', mockId: 'feed', path: '/events', clientIp: '127.0.0.1:5000', connectedAt: at, eventsSent: 3, bytesSent: 40, status: 'active' }),
    toRow('mqtt', { id: 'sensor-7', mockId: 'broker', brokerId: 'broker', port: 1883, connectedAt: at, subscriptions: ['cmd/sensor-7/#'], protocolVersion: 4, remoteAddr: '127.0.0.1:6000', status: 'connected' }),
    toRow('grpc', { id: 'grpc-stream-1', mockId: 'greeter', method: '/helloworld.Greeter/Chat', streamType: 'bidi', clientAddr: '127.0.0.1:7000', connectedAt: at, messagesSent: 0, messagesRecv: 0 }),
  ];
  const mocks = new Map<string, Mock>([['feed', { id: 'feed', type: 'http', name: 'Price feed', enabled: true }]]);
  const cases: [string, string, string[]][] = [
    ['', '', ['ws-1', 'sse-1', 'sensor-7', 'grpc-stream-1']],
    ['/ws/chat', '', ['ws-1']],
    ['price', '', ['sse-1']],
    ['cmd/sensor', '', ['sensor-7']],
    ['greeter chat', '', ['grpc-stream-1']],
    ['127.0.0.1:6000', '', ['sensor-7']],
    ['127.0.0.1:4000', '', ['ws-1']],
    ['', 'greeter', ['grpc-stream-1']],
    ['ws', 'feed', []],
  ];
  for (const [search, mockId, expected] of cases) {
    test(`search ${JSON.stringify(search)} and mock ${JSON.stringify(mockId)} keep ${expected.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(filterRows(rows, search, mockId, mocks).map((r) => r.id), expected);
    });
  }
});

describe('rows of a worker pool', () => {
  const record = { id: 'ws-9', mockId: 'chat', path: '/ws/chat', clientIp: '127.0.0.1:4000', connectedAt: '2026-03-01T10:00:00.000Z', messagesSent: 0, messagesRecv: 0, status: 'connected' };
  const pooled = toRow('websocket', { ...record, worker: 'http-2' });
  const alone = toRow('websocket', { ...record, id: 'ws-10' });

  test('carry the worker of a pooled record, and none for a pool of one', () => {
    assert.equal(pooled.worker, 'http-2');
    assert.equal(alone.worker, undefined);
  });

  test('are found by their worker in the search box', () => {
    assert.deepEqual(filterRows([pooled, alone], 'http-2', '', new Map()).map((r) => r.id), ['ws-9']);
  });
});

describe('TLS connections in the table (README "TLS")', () => {
  test('a TLS connection shows a lock and the client CN beside its address; a plain one shows the address alone', () => {
    const base = { id: 'ws-1', mockId: 'm', path: '/ws', clientIp: '127.0.0.1:5000', connectedAt: '2026-03-01T10:00:00.000Z', messagesSent: 0, messagesRecv: 0, status: 'connected' };
    const tls = { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', clientCN: 'alice' };
    assert.equal(toRow('websocket', { ...base, tls }).client, '🔒 127.0.0.1:5000 (CN alice)');
    assert.equal(toRow('websocket', { ...base, tls: { protocol: 'TLSv1.3', cipher: 'x' } }).client, '🔒 127.0.0.1:5000');
    assert.equal(toRow('websocket', base).client, '127.0.0.1:5000');
  });
});
