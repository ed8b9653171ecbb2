// One protocol's benchmark session: a fresh mockd and the protocol's baseline, started side by side and stopped at
// the end whatever happens. When either cannot start, every scenario of the protocol becomes a row that says why,
// and the run will exit 1 (contract §11: "a target failed to start").

import { BenchAdmin } from './admin.ts';
import { skippedRow, type BenchContext } from './scenario.ts';
import { startBaseline, startMockd, type RunningTarget } from './targets.ts';
import type { BenchResult, Protocol } from './types.ts';

export interface SessionSpec {
  protocol: Protocol;
  /** The rows this session produces, so a failed start still reports each of them. */
  scenarios: { scenario: string; unit: string }[];
  generator: string;
  baseline: string;
  baselineArgs?: string[];
  mockdArgs?: string[];
}

export interface Session {
  mockd: RunningTarget;
  baseline: RunningTarget;
  admin: BenchAdmin;
  /** A row for a scenario that could not run (e.g. its mock was refused); counts as a failure of the run. */
  skip(scenario: string, unit: string, reason: string): BenchResult;
}

export async function withSession(ctx: BenchContext, spec: SessionSpec, body: (session: Session) => Promise<BenchResult[]>): Promise<BenchResult[]> {
  ctx.progress.step(`${spec.protocol}: starting mockd and the baseline`);
  const [mockd, baseline] = await Promise.allSettled([startMockd([...ctx.options.mockdArgs, ...(spec.mockdArgs ?? [])]), startBaseline(spec.baseline, [...(spec.baselineArgs ?? []), ...(ctx.baselineArgs ?? [])])]);
  try {
    if (mockd.status === 'rejected' || baseline.status === 'rejected') {
      const reason = mockd.status === 'rejected' ? `mockd failed to start: ${mockd.reason.message}` : `baseline failed to start: ${(baseline as PromiseRejectedResult).reason.message}`;
      ctx.failures.push(`${spec.protocol}: ${reason}`);
      return spec.scenarios.map((s) => skippedRow(spec.protocol, s.scenario, s.unit, spec.generator, reason));
    }
    const session: Session = {
      mockd: mockd.value,
      baseline: baseline.value,
      admin: new BenchAdmin(mockd.value.info.adminApi!),
      skip(scenario, unit, reason) {
        ctx.failures.push(`${spec.protocol} ${scenario}: ${reason}`);
        return skippedRow(spec.protocol, scenario, unit, spec.generator, `skipped: ${reason}`);
      },
    };
    return await body(session);
  } finally {
    await Promise.all([mockd, baseline].map((t) => (t.status === 'fulfilled' ? t.value.stop() : undefined)));
  }
}
