// The admin API lives on the main thread and the mock port in the http worker, so load on mocks must not slow the
// admin plane or the CLI. mockd runs as a subprocess so the load generated here does not share its event loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { adminClient, runCli, spawnMockd } from '../helpers/mockd.ts';
import { FETCH_MS } from '../helpers/wait.ts';

function hammer(url: string, until: () => boolean, concurrency: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let done = 0;
  const loop = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { agent, signal: AbortSignal.timeout(FETCH_MS) }, (res) => {
        res.resume();
        res.on('end', () => {
          done++;
          resolve();
        });
      });
      req.on('error', reject);
      req.end();
    }).then(() => (until() ? undefined : loop()));
  return Promise.all(Array.from({ length: concurrency }, loop)).then(() => {
    agent.destroy();
    return done;
  });
}

test('the admin API and the CLI stay responsive while the http worker serves load', async (t) => {
  const m = await spawnMockd(t, ['--no-persist']);
  const admin = adminClient(m.adminUrl);
  // A templated response makes each request cost the worker real CPU.
  await admin.createMock({ http: { matcher: { path: '/busy' }, response: { statusCode: 200, body: { id: '{{uuid}}', n: '{{random.int(1, 100)}}', words: '{{faker.sentence}}' } } } });
  let stop = false;
  const load = hammer(`${m.mockUrl}/busy`, () => stop, 64);
  try {
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const r = await admin.api('/mocks');
      latencies.push(performance.now() - t0);
      assert.equal(r.status, 200);
    }
    const t0 = performance.now();
    const cli = await runCli(['list', '--admin-url', m.adminUrl]);
    const cliMs = performance.now() - t0;
    assert.equal(cli.code, 0, cli.stderr);
    latencies.sort((a, b) => a - b);
    const p95 = latencies[Math.floor(latencies.length * 0.95) - 1]!;
    // Bounds are generous (a 2-core CI box runs the load generator too); a blocked admin plane would take seconds.
    assert.ok(p95 < 500, `admin p95 ${p95.toFixed(1)} ms under load`);
    assert.ok(cliMs < 10_000, `CLI took ${cliMs.toFixed(0)} ms under load`);
  } finally {
    stop = true;
  }
  const served = await load;
  assert.ok(served > 100, `the load really ran (${served} requests)`);
});
