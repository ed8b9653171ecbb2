// websocket scenario (contract §11): echo round trips on `connections` connections (50 by default), one 32-byte text
// message in flight per connection; msg/s and round-trip latency. mockd serves an echo mock; the baseline is a `ws`
// echo server (baselines/websocket.ts).

import { runScenario, type BenchContext } from '../scenario.ts';
import { withSession } from '../session.ts';
import type { BenchResult } from '../types.ts';

const UNIT = 'msg/s';

export const WS_ECHO_MOCK = { id: 'bench-ws', name: 'bench ws echo', websocket: { path: '/bench/ws', echoMode: true } };

export async function benchWebSocket(ctx: BenchContext): Promise<BenchResult[]> {
  const { connections } = ctx.options;
  const generator = `node ws client (${ctx.pool.threads} threads)`;
  const scenario = `echo round trips, ${connections} connections`;
  const session = { protocol: 'websocket' as const, scenarios: [{ scenario, unit: UNIT }], generator, baseline: 'websocket.ts' };
  return withSession(ctx, session, async (s) => {
    const created = await s.admin.create(WS_ECHO_MOCK).catch((err: Error) => err);
    if (created instanceof Error) return [s.skip(scenario, UNIT, `the WebSocket mock could not be created: ${created.message}`)];
    const mockdUrl = `${s.mockd.info.mockServer!.replace(/^http/, 'ws')}/bench/ws`;
    const baseUrl = `ws://127.0.0.1:${s.baseline.info.port}/bench/ws`;
    return [
      await runScenario(ctx, {
        protocol: 'websocket',
        scenario,
        unit: UNIT,
        library: 'ws',
        generator,
        mockd: { target: s.mockd, load: (w) => ctx.pool.run('websocket', { url: mockdUrl }, connections, w) },
        baseline: { target: s.baseline, load: (w) => ctx.pool.run('websocket', { url: baseUrl }, connections, w) },
      }),
    ];
  });
}
