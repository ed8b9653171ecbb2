// sse scenario (contract §11): `connections` concurrent streams (50 by default) of 1,000 events with no delay, each
// reopened as soon as it ends; events/s, and latency from request to first event. mockd serves an SSE mock whose
// template generator repeats one event; the baseline (baselines/sse.ts) writes the same frames with node:http.

import type { MeasureWindow } from '../load/pool.ts';
import { runScenario, type BenchContext } from '../scenario.ts';
import { withSession } from '../session.ts';
import type { BenchResult } from '../types.ts';
import { SSE_EVENT_DATA, SSE_EVENT_TYPE } from './sse-frames.ts';

const EVENTS = 1000;
const UNIT = 'events/s';
const SCENARIO = `${EVENTS} events/stream, no delay`;

const SSE_MOCK = {
  id: 'bench-sse',
  name: 'bench sse',
  http: {
    matcher: { method: 'GET', path: '/bench/sse' },
    sse: { generator: { type: 'template', template: { events: [{ type: SSE_EVENT_TYPE, data: SSE_EVENT_DATA }], repeat: EVENTS } } },
  },
};

export async function benchSse(ctx: BenchContext): Promise<BenchResult[]> {
  const { connections } = ctx.options;
  const generator = `node (${ctx.pool.threads} threads)`;
  const scenario = `${connections} streams × ${SCENARIO}`;
  const session = {
    protocol: 'sse' as const,
    scenarios: [{ scenario, unit: UNIT }],
    generator,
    baseline: 'sse.ts',
    baselineArgs: ['--events', String(EVENTS)],
    // Every stream counts against --max-sse-streams (contract §4); leave room for the streams being reopened.
    mockdArgs: ['--max-sse-streams', String(Math.max(100, connections * 2))],
  };
  return withSession(ctx, session, async (s) => {
    const created = await s.admin.create(SSE_MOCK).catch((err: Error) => err);
    if (created instanceof Error) return [s.skip(scenario, UNIT, `the SSE mock could not be created: ${created.message}`)];
    const load = (url: string) => (w: MeasureWindow) => ctx.pool.run('sse', { url, events: EVENTS }, connections, w);
    return [
      await runScenario(ctx, {
        protocol: 'sse',
        scenario,
        unit: UNIT,
        library: 'node:http',
        generator,
        mockd: { target: s.mockd, load: load(`${s.mockd.info.mockServer}/bench/sse`) },
        baseline: { target: s.baseline, load: load(`http://127.0.0.1:${s.baseline.info.port}/bench/sse`) },
      }),
    ];
  });
}
