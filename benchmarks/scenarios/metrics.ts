// What collecting metrics costs (issue 23): mockd against mockd `--no-metrics`, side by side in one run, for HTTP
// keep-alive GETs and MQTT QoS 0 publishes, the hot paths that count most often. The "baseline" column is the mockd
// without metrics, so the ratio is the throughput kept with metrics on. `mockd bench metrics`; not part of `all`.

import { BenchAdmin } from '../admin.ts';
import { runScenario, skippedRow, type BenchContext } from '../scenario.ts';
import { startMockd, type RunningTarget } from '../targets.ts';
import type { BenchResult } from '../types.ts';
import { STATIC_MOCK } from './http-mocks.ts';

const OFF = 'mockd --no-metrics';
const MQTT_MOCK = { id: 'bench-mqtt', name: 'bench mqtt', mqtt: { port: 0, topics: [{ topic: 'bench/#' }] } };

export async function benchMetrics(ctx: BenchContext): Promise<BenchResult[]> {
  const { connections } = ctx.options;
  const generator = `node (${ctx.pool.threads} threads)`;
  const scenarios = [
    { scenario: 'HTTP GET static JSON, keep-alive: metrics on vs off', unit: 'req/s' },
    { scenario: `MQTT QoS 0 publish → subscribe, ${connections} publishers: metrics on vs off`, unit: 'msg/s' },
  ];
  ctx.progress.step('metrics: starting mockd with and without metrics');
  const started = await Promise.allSettled([startMockd(ctx.options.mockdArgs), startMockd([...ctx.options.mockdArgs, '--no-metrics'])]);
  try {
    if (started.some((s) => s.status === 'rejected')) {
      const reason = `mockd failed to start: ${(started.find((s) => s.status === 'rejected') as PromiseRejectedResult).reason.message}`;
      ctx.failures.push(`metrics: ${reason}`);
      return scenarios.map((s) => skippedRow('metrics', s.scenario, s.unit, generator, reason));
    }
    const [on, off] = started.map((s) => (s as PromiseFulfilledResult<RunningTarget>).value) as [RunningTarget, RunningTarget];
    const created = await Promise.all([on, off].map(async (t) => {
      const admin = new BenchAdmin(t.info.adminApi!);
      await admin.create(STATIC_MOCK);
      return (await admin.create(MQTT_MOCK)).mqtt.port as number;
    }));
    const side = (t: RunningTarget, i: number, kind: 'http' | 'mqtt') => ({
      target: t,
      load: (w: Parameters<typeof ctx.pool.run>[3]) =>
        kind === 'http'
          ? ctx.pool.run('http', { url: `${t.info.mockServer}/bench/static` }, connections, w)
          : ctx.pool.run('mqtt', { url: `mqtt://127.0.0.1:${created[i]}`, qos: 0 }, connections, w),
    });
    const rows: BenchResult[] = [];
    for (const [k, kind] of (['http', 'mqtt'] as const).entries()) {
      rows.push(await runScenario(ctx, {
        protocol: 'metrics', scenario: scenarios[k]!.scenario, unit: scenarios[k]!.unit, library: OFF, generator,
        mockd: side(on, 0, kind), baseline: side(off, 1, kind),
      }));
    }
    return rows;
  } finally {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
  }
}
