// mqtt scenarios (contract §11): QoS 0 and QoS 1 publishes from `connections` publishers to one subscriber per
// generator thread (two rows); msg/s received and publish→receive latency. mockd serves an MQTT mock on port 0 with
// one topic entry covering the bench topics; the baseline is a bare aedes broker (baselines/mqtt.ts).

import { runScenario, type BenchContext } from '../scenario.ts';
import { servedBy } from '../served.ts';
import { withSession } from '../session.ts';
import type { BenchResult } from '../types.ts';

const UNIT = 'msg/s';
const MQTT_MOCK = { id: 'bench-mqtt', name: 'bench mqtt', mqtt: { port: 0, topics: [{ topic: 'bench/#' }] } };

export async function benchMqtt(ctx: BenchContext): Promise<BenchResult[]> {
  const { connections } = ctx.options;
  const generator = `node mqtt.js (${ctx.pool.threads} threads)`;
  const name = (qos: 0 | 1) => `QoS ${qos} publish → subscribe, ${connections} publishers`;
  const scenarios = ([0, 1] as const).map((qos) => ({ scenario: name(qos), unit: UNIT }));
  return withSession(ctx, { protocol: 'mqtt', scenarios, generator, baseline: 'mqtt.ts' }, async (s) => {
    const created = await s.admin.create(MQTT_MOCK).catch((err: Error) => err);
    if (created instanceof Error) return scenarios.map((x) => s.skip(x.scenario, UNIT, `the MQTT mock could not be created: ${created.message}`));
    const mockdUrl = `mqtt://127.0.0.1:${created.mqtt.port}`;
    const baseUrl = `mqtt://127.0.0.1:${s.baseline.info.port}`;
    const rows: BenchResult[] = [];
    for (const qos of [0, 1] as const) {
      rows.push(
        await runScenario(ctx, {
          protocol: 'mqtt',
          scenario: name(qos),
          unit: UNIT,
          library: 'aedes',
          generator,
          mockd: { target: s.mockd, load: (w) => ctx.pool.run('mqtt', { url: mockdUrl, qos }, connections, w), served: () => servedBy(s.mockd.info.adminApi!, 'mqtt') },
          baseline: { target: s.baseline, load: (w) => ctx.pool.run('mqtt', { url: baseUrl, qos }, connections, w) },
        }),
      );
    }
    return rows;
  });
}
