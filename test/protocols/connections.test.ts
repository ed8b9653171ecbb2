// Unit tests of the shared ConnectionRegistry (src/protocols/connections.ts): the bookkeeping every ConnectionManager
// takes from it, with a goodbye function standing in for a protocol.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CloseReason, ConnectionEvent, ConnectionRecord } from '../../src/contract/protocols.ts';
import { ConnectionRegistry, createIdSequence, registryVerbs } from '../../src/protocols/connections.ts';

function record(id: string, mockId = 'm1'): ConnectionRecord & { n?: number } {
  return { id, mockId, connectedAt: new Date().toISOString() };
}

function setup() {
  const registry = new ConnectionRegistry<ConnectionRecord & { n?: number }>('websocket');
  const events: ConnectionEvent[] = [];
  registry.onEvent((e) => events.push(e));
  const goodbyes: [string, CloseReason][] = [];
  /** A goodbye that leaves the record for the protocol's own `gone`, as real protocols do, or removes it itself. */
  const add = (id: string, mockId = 'm1') => registry.add(record(id, mockId), (reason) => void goodbyes.push([id, reason]));
  return { registry, events, goodbyes, add };
}

describe('ConnectionRegistry', () => {
  test('lists records in the order they were added and by mock', () => {
    const { registry, add } = setup();
    add('a', 'm1');
    add('b', 'm2');
    add('c', 'm1');
    assert.deepEqual(registry.list().map((r) => r.id), ['a', 'b', 'c']);
    assert.deepEqual(registry.list('m1').map((r) => r.id), ['a', 'c']);
    assert.deepEqual(registry.list('none'), []);
    assert.equal(registry.size, 3);
    assert.deepEqual(registry.connectionsByMock(), { m1: 2, m2: 1 });
  });

  test('emits opened once per add and closed once per remove, with the reason', () => {
    const { registry, events, add } = setup();
    add('a');
    registry.remove('a', 'server');
    registry.remove('a', 'server');
    assert.deepEqual(events, [
      { type: 'connection.opened', protocol: 'websocket', id: 'a', mockId: 'm1' },
      { type: 'connection.closed', protocol: 'websocket', id: 'a', mockId: 'm1', reason: 'server' },
    ]);
  });

  test('a remove without a reason is the client\'s doing', () => {
    const { registry, events, add } = setup();
    add('a');
    registry.remove('a');
    assert.equal(events.at(-1)!.reason, 'client');
  });

  test('close runs the goodbye once with its reason, and the closed event reports that reason', async () => {
    const { registry, events, goodbyes, add } = setup();
    add('a');
    const [first, second] = await Promise.all([registry.close('a', 'admin'), registry.close('a', 'mock_changed')]);
    assert.equal(first, true);
    assert.equal(second, true);
    assert.deepEqual(goodbyes, [['a', 'admin']]);
    assert.equal(registry.has('a'), false);
    assert.equal(events.at(-1)!.reason, 'admin');
  });

  test('the reason asked for by close wins over the one the protocol reports when the connection goes', async () => {
    const { registry, events } = setup();
    registry.add(record('a'), () => {
      registry.remove('a', 'client');
    });
    await registry.close('a', 'mock_changed');
    assert.equal(events.at(-1)!.reason, 'mock_changed');
  });

  test('close of an unknown id resolves false and runs nothing', async () => {
    const { registry, goodbyes } = setup();
    assert.equal(await registry.close('nope', 'admin'), false);
    assert.deepEqual(goodbyes, []);
  });

  test('a goodbye that throws still removes the connection', async () => {
    const { registry } = setup();
    registry.add(record('a'), () => {
      throw new Error('socket already gone');
    });
    assert.equal(await registry.close('a', 'admin'), true);
    assert.equal(registry.size, 0);
  });

  test('closeByMock closes only that mock\'s connections and counts them; closeAll closes the rest', async () => {
    const { registry, goodbyes, add } = setup();
    add('a', 'm1');
    add('b', 'm2');
    add('c', 'm1');
    assert.equal(await registry.closeByMock('m1', 'mock_changed'), 2);
    assert.deepEqual(registry.list().map((r) => r.id), ['b']);
    assert.deepEqual(registry.connectionsByMock(), { m2: 1 });
    assert.equal(await registry.closeAll('shutdown'), 1);
    assert.deepEqual(goodbyes.map(([, r]) => r), ['mock_changed', 'mock_changed', 'shutdown']);
    assert.equal(registry.totalConnections, 3, 'the total is cumulative');
  });

  test('a listener that throws does not stop the bookkeeping or the other listeners', () => {
    const { registry, events, add } = setup();
    registry.onEvent(() => {
      throw new Error('broken subscriber');
    });
    add('a');
    assert.equal(registry.size, 1);
    assert.equal(events.length, 1);
  });

  test('registryVerbs hands out copies, so a record read across threads never changes under its reader', () => {
    const { registry, add } = setup();
    add('a');
    const verbs = registryVerbs(registry);
    const copy = verbs.get('a')!;
    registry.get('a')!.n = 5;
    assert.equal(copy.n, undefined);
    assert.equal(verbs.list()[0]!.n, 5);
    assert.notEqual(verbs.list()[0], registry.get('a'));
  });
});

describe('createIdSequence', () => {
  test('counts from 1 per prefix without a shared counter', () => {
    const next = createIdSequence('test-');
    assert.deepEqual([next(), next(), next()], ['test-1', 'test-2', 'test-3']);
  });
});
