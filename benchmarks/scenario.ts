// Running one scenario against both targets: rounds alternate mockd and the baseline in ABBA order (mockd, baseline,
// baseline, mockd, …) so drift in machine load hits both sides alike; each round warms up, then measures
// duration/rounds seconds while the target's CPU time is sampled at the window's edges. The rounds of each side are
// merged into one row.

import { createHistogram } from 'node:perf_hooks';
import type { LoadPool, MeasureWindow } from './load/pool.ts';
import { cpuSeconds } from './proc-stats.ts';
import type { Progress } from './progress.ts';
import type { RunningTarget } from './targets.ts';
import type { BaselineResult, BenchOptions, BenchResult, Measurement, Protocol, TargetResult } from './types.ts';

export interface BenchContext {
  options: BenchOptions;
  pool: LoadPool;
  progress: Progress;
  /** Why the run must exit 1: a target that did not start, a scenario that failed, too many failed operations. */
  failures: string[];
  /** Extra arguments for every baseline script of this pass (`--threads N` with `--workers`). */
  baselineArgs?: string[];
}

export interface Side {
  target: RunningTarget;
  load(window: MeasureWindow): Promise<Measurement>;
  /** mockd: its own count of this scenario's operations (GET /metrics), read around each round. */
  served?(): Promise<number>;
}

export interface ScenarioDef {
  protocol: Protocol;
  scenario: string;
  unit: string;
  library: string;
  generator: string;
  mockd: Side;
  baseline: Side;
}

/** More than this share of failed operations on either side fails the run (contract §11). */
const MAX_ERROR_SHARE = 0.01;

export async function runScenario(ctx: BenchContext, def: ScenarioDef): Promise<BenchResult> {
  const { rounds, warmupS, durationS } = ctx.options;
  const runs: Record<'mockd' | 'baseline', Measurement[]> = { mockd: [], baseline: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['mockd', 'baseline'] as const) : (['baseline', 'mockd'] as const);
      for (const side of order) {
        ctx.progress.step(`${def.protocol}  ${def.scenario}: ${side === 'mockd' ? 'mockd' : def.library} round ${round + 1}/${rounds}`);
        runs[side].push(await measureSide(def[side], warmupS * 1000, (durationS * 1000) / rounds));
      }
    }
  } catch (err) {
    const message = `${def.protocol} ${def.scenario}: ${(err as Error).message}`;
    ctx.failures.push(message);
    return skippedRow(def.protocol, def.scenario, def.unit, def.generator, `failed: ${(err as Error).message}`);
  }
  const mockd = merge(runs.mockd);
  const baseline = merge(runs.baseline);
  for (const [name, m] of [['mockd', mockd], [def.library, baseline]] as const) {
    if (m.errors > (m.ops + m.errors) * MAX_ERROR_SHARE) {
      ctx.failures.push(`${def.protocol} ${def.scenario}: ${m.errors} of ${m.ops + m.errors} operations against ${name} failed`);
    }
  }
  const mockdResult = toResult(mockd);
  const baselineResult: BaselineResult = { library: def.library, ...toResult(baseline) };
  return {
    protocol: def.protocol,
    scenario: def.scenario,
    unit: def.unit,
    mockd: mockdResult,
    baseline: baselineResult,
    ratio: ratioOf(mockdResult.throughput, baselineResult.throughput),
    generator: def.generator,
    ...(mockd.generatorLoad !== undefined && baseline.generatorLoad !== undefined
      ? { generatorLoad: { mockd: round2(mockd.generatorLoad), baseline: round2(baseline.generatorLoad) } }
      : {}),
  };
}

async function measureSide(side: Side, warmupMs: number, durationMs: number): Promise<Measurement> {
  const servedBefore = await side.served?.();
  let cpuStart: number | undefined;
  let cpuEnd: number | undefined;
  const measurement = await side.load({
    warmupMs,
    durationMs,
    onMeasure: () => (cpuStart = cpuSeconds(side.target.pid)),
    onStop: () => (cpuEnd = cpuSeconds(side.target.pid)),
  });
  if (cpuStart !== undefined && cpuEnd !== undefined) measurement.cpuSeconds = cpuEnd - cpuStart;
  if (servedBefore !== undefined) measurement.served = (await side.served!()) - servedBefore;
  return measurement;
}

function merge(runs: Measurement[]): Measurement {
  const histogram = createHistogram();
  const total: Measurement = { ops: 0, errors: 0, seconds: 0, histogram };
  let load = 0;
  let cpu = 0;
  for (const m of runs) {
    histogram.add(m.histogram);
    total.ops += m.ops;
    total.errors += m.errors;
    total.seconds += m.seconds;
    if (m.generatorLoad !== undefined) load += m.generatorLoad * m.seconds;
    if (m.cpuSeconds !== undefined) cpu += m.cpuSeconds;
  }
  if (runs.every((m) => m.generatorLoad !== undefined)) total.generatorLoad = load / total.seconds;
  if (runs.every((m) => m.cpuSeconds !== undefined)) total.cpuSeconds = cpu;
  if (runs.every((m) => m.totalOps !== undefined && m.served !== undefined)) {
    total.totalOps = runs.reduce((sum, m) => sum + m.totalOps!, 0);
    total.served = runs.reduce((sum, m) => sum + m.served!, 0);
  }
  return total;
}

function toResult(m: Measurement): TargetResult {
  const ms = (p: number) => (m.histogram.count > 0 ? round3(m.histogram.percentile(p) / 1e6) : 0);
  const result: TargetResult = {
    throughput: m.seconds > 0 ? Math.round(m.ops / m.seconds) : 0,
    p50Ms: ms(50),
    p99Ms: ms(99),
    errors: m.errors,
  };
  if (m.cpuSeconds !== undefined && m.seconds > 0) {
    result.cpuCores = round2(m.cpuSeconds / m.seconds);
    if (m.ops > 0) result.cpuUsPerOp = round2((m.cpuSeconds * 1e6) / m.ops);
  }
  if (m.totalOps !== undefined && m.served !== undefined) result.counted = { generator: m.totalOps, metrics: m.served };
  return result;
}

export function skippedRow(protocol: Protocol, scenario: string, unit: string, generator: string, note: string): BenchResult {
  return { protocol, scenario, unit, mockd: null, baseline: null, ratio: null, generator, note };
}

export function ratioOf(mockd: number, baseline: number): number | null {
  return baseline > 0 ? round2(mockd / baseline) : null;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
export const round3 = (n: number) => Math.round(n * 1000) / 1000;
