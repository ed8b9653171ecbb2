// `mockd start --workers N|auto` (env MOCKD_WORKERS) as a user runs it (README "Workers"): the pools it starts, as
// /health shows them, the one line it says where the runtime cannot share a port, and bad values as usage errors.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { canSharePort } from '../../src/coordinator/worker-count.ts';
import { adminClient, runCli, spawnMockd, startMockd } from '../helpers/mockd.ts';
import { connect as connectWs, wsMock, wsUrl } from '../protocols/websocket/helpers.ts';
import { grpcMock, openChat, ownConnectionClient } from '../coordinator/pool-helpers.ts';

const RUNTIME_SHARES_PORT = canSharePort();
const NOTE = /one worker per protocol: Node .* cannot share a port/g;

describe('mockd start --workers', () => {
  for (const [how, args, env] of [
    ['--workers 2', ['--workers', '2'], {}],
    ['MOCKD_WORKERS=2', [], { MOCKD_WORKERS: '2' }],
  ] as const) {
    test(`starts pools of two with ${how} where the runtime can share a port, else one worker per protocol`, async (t) => {
      const mockd = await spawnMockd(t, [...args, '--no-persist'], env);
      const health = (await adminClient(mockd.adminUrl).api('/health')).body.workers;
      if (RUNTIME_SHARES_PORT) {
        for (const kind of ['http', 'mqtt', 'grpc']) assert.deepEqual(health[kind].members.map((w: any) => w.worker), [`${kind}-1`, `${kind}-2`]);
        assert.doesNotMatch(mockd.stderr(), NOTE);
      } else {
        t.diagnostic(`Node ${process.versions.node} on ${process.platform} cannot share a port: checking the fallback`);
        assert.equal(health.http.members, undefined);
        assert.equal(mockd.stderr().match(NOTE)?.length, 1, mockd.stderr());
      }
      assert.equal(await mockd.stop(), 0);
    });
  }

  test('auto (the default) runs the available parallelism where it can, and says so once where it cannot', async (t) => {
    // An empty MOCKD_WORKERS is the default (auto); the test helpers otherwise pin subprocesses to one worker.
    const mockd = await spawnMockd(t, ['--no-persist'], { MOCKD_WORKERS: '' });
    const health = (await adminClient(mockd.adminUrl).api('/health')).body.workers;
    const expected = RUNTIME_SHARES_PORT ? Math.min(availableParallelism(), 8) : 1;
    assert.equal(health.http.members?.length ?? 1, expected);
    const saysWhy = !RUNTIME_SHARES_PORT && availableParallelism() > 1;
    assert.equal(mockd.stderr().match(NOTE)?.length ?? 0, saysWhy ? 1 : 0, mockd.stderr());
    assert.equal(await mockd.stop(), 0);
  });

  for (const bad of ['0', 'many', '1.5']) {
    test(`exits 2 with a usage error for --workers=${bad}`, async () => {
      const r = await runCli(['start', '--port', '0', '--admin-port', '0', '--no-persist', `--workers=${bad}`], { timeoutMs: 20_000 });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--workers/);
    });
  }
});

describe('connection tables with --workers 2', () => {
  test('name the worker of each connection in a WORKER column where pools have two members, and add none to a pool of one', async (t) => {
    const m = await startMockd(t, { workers: 2 });
    await m.createMock(wsMock('chat', { path: '/chat', echoMode: true }));
    for (let i = 0; i < 6; i++) await connectWs(t, wsUrl(m.mockUrl, '/chat'));
    await openChat(t, ownConnectionClient(t, await grpcMock(m, 'greeter')));
    const admin = ['--admin-url', m.adminUrl];

    for (const [group, route, key, kind] of [['ws', '/websocket/connections', 'connections', 'http'], ['grpc', '/grpc/connections', 'streams', 'grpc']] as const) {
      const records = (await m.api(route)).body[key] as { id: string; worker?: string }[];
      const r = await runCli([group, 'connections', 'list', ...admin]);
      assert.equal(r.code, 0, r.stderr);
      const [header, ...rows] = r.stdout.trimEnd().split('\n');
      if (!RUNTIME_SHARES_PORT) {
        t.diagnostic(`Node ${process.versions.node} cannot share a port: one ${kind} worker, so no WORKER column`);
        assert.doesNotMatch(header!, /WORKER/);
        continue;
      }
      assert.match(header!, /\s{2,}WORKER$/);
      for (const record of records) {
        const row = rows.find((line) => line.startsWith(`${record.id} `));
        assert.ok(row, `a row for ${record.id} in:\n${r.stdout}`);
        assert.match(record.worker!, new RegExp(`^${kind}-[12]$`));
        assert.ok(row.endsWith(`  ${record.worker}`), `the row of ${record.id} ends with its worker ${record.worker}: ${row}`);
      }
      const json = JSON.parse((await runCli([group, 'connections', 'list', ...admin, '--json'])).stdout);
      assert.deepEqual(json[key].map((c: { worker?: string }) => c.worker), records.map((c) => c.worker));
    }
  });
});
