// https scenarios (README "TLS"): mockd's HTTPS port (`--tls-auto --https-port 0`, a generated ECDSA P-256
// certificate) against bare node:https with the same kind of certificate (baselines/https.ts), in the same run.
// Two rows: keep-alive GETs of the static {"ok":true} mock over TLS (req/s), and new handshakes, one GET per fresh TLS
// connection (conn/s). The Node generator drives both (wrk and h2load are not used for TLS).

import { runScenario, type BenchContext } from '../scenario.ts';
import { withSession } from '../session.ts';
import type { BenchResult } from '../types.ts';
import { STATIC_MOCK } from './http-mocks.ts';

const SCENARIOS = {
  keepAlive: { scenario: 'HTTPS GET static JSON, keep-alive', unit: 'req/s' },
  handshake: { scenario: 'HTTPS new TLS handshake per GET', unit: 'conn/s' },
};

export async function benchHttps(ctx: BenchContext): Promise<BenchResult[]> {
  const generator = `node (${ctx.pool.threads} threads)`;
  const spec = { protocol: 'https' as const, scenarios: Object.values(SCENARIOS), generator, baseline: 'https.ts', mockdArgs: ['--tls-auto', '--https-port', '0'] };
  return withSession(ctx, spec, async (s) => {
    const adminUrl = s.mockd.info.adminApi!;
    const created = await s.admin.create(STATIC_MOCK).catch((err: Error) => err);
    if (created instanceof Error) return Object.values(SCENARIOS).map((x) => s.skip(x.scenario, x.unit, `the mock could not be created: ${created.message}`));
    const tls = (await (await fetch(`${adminUrl}/tls`, { signal: AbortSignal.timeout(10_000) })).json()) as { httpsPort: number };
    const mockdCa = await (await fetch(`${adminUrl}/tls/ca.pem`, { signal: AbortSignal.timeout(10_000) })).text();
    const mockd = { url: `https://127.0.0.1:${tls.httpsPort}/bench/static`, ca: mockdCa };
    const baseline = { url: `https://127.0.0.1:${s.baseline.info.port}/bench/static`, ca: s.baseline.info.ca! };
    const rows: BenchResult[] = [];
    for (const [def, kind, connections] of [
      [SCENARIOS.keepAlive, 'https', ctx.options.connections],
      // Handshakes are CPU-bound on the server: a few concurrent dialers keep it busy without queueing.
      [SCENARIOS.handshake, 'https-handshake', Math.min(ctx.options.connections, 8)],
    ] as const) {
      rows.push(
        await runScenario(ctx, {
          protocol: 'https',
          scenario: def.scenario,
          unit: def.unit,
          library: 'node:https',
          generator,
          mockd: { target: s.mockd, load: (w) => ctx.pool.run(kind, mockd, connections, w) },
          baseline: { target: s.baseline, load: (w) => ctx.pool.run(kind, baseline, connections, w) },
        }),
      );
    }
    return rows;
  });
}
