// `mockd bench [http|sse|websocket|ws|mqtt|grpc|scale|all]` (contract §11): mockd against the bare libraries, side
// by side in one run. The benchmark code lives in benchmarks/ (a dev tool: its load generators use dev dependencies),
// so it is loaded from the source checkout at run time and never compiled into the installed package.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from '../client.ts';
import { print, printJson } from '../output.ts';
import { str, UsageError, type CommandDef } from '../registry.ts';

const TARGETS = ['http', 'sse', 'websocket', 'mqtt', 'grpc', 'scale', 'https', 'metrics'] as const;
/** `metrics` (what collecting metrics costs: mockd against mockd --no-metrics) runs only when asked for by name. */
const ALL = TARGETS.filter((t) => t !== 'metrics');
const ALIASES: Record<string, string> = { ws: 'websocket' };
const RUNNER = new URL('../../../benchmarks/run.ts', import.meta.url);

/**
 * What this command uses of benchmarks/run.ts. Declared here rather than imported as a type, because any import
 * (even `typeof import()`) would pull benchmarks/ into the package build.
 */
interface BenchRunner {
  DEFAULT_OUT_DIR: string;
  runBench(options: object): Promise<{ report: { results: unknown[]; failures: string[] }; exitCode: 0 | 1; files: string[] }>;
  formatTable(results: unknown[]): string;
  formatScaling(results: unknown[]): string;
  parseWorkerList(raw: string): number[] | undefined;
}

function numberOption(value: unknown, name: string, min: number, integer = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} of at least ${min}`);
  }
  return n;
}

function targetsOf(arg: string | undefined): (typeof TARGETS)[number][] {
  const name = ALIASES[arg ?? 'all'] ?? arg ?? 'all';
  if (name === 'all') return [...ALL];
  if (!(TARGETS as readonly string[]).includes(name)) {
    throw new UsageError(`unknown bench target "${arg}" (expected http, sse, websocket, ws, mqtt, grpc, scale, https, metrics or all)`);
  }
  return [name as (typeof TARGETS)[number]];
}

export const benchCommand: CommandDef = {
  path: ['bench'],
  args: '[target]',
  description: 'Benchmark mockd against the bare libraries (http, sse, websocket, mqtt, grpc, scale, https or all), or metrics on vs off (metrics)',
  options: [
    ['--duration <s>', 'Measured seconds per target and scenario', { default: 10 }],
    ['--warmup <s>', 'Warm-up seconds before each measured round', { default: 2 }],
    ['--connections <n>', 'Concurrent connections (streams, publishers, calls in flight)', { default: 50 }],
    ['--rounds <n>', 'Interleaved mockd/baseline rounds per scenario', { default: 2 }],
    ['--scale <n>', 'Idle WebSocket connections for the scale target', { default: 10000 }],
    ['--generator <kind>', 'auto (wrk/h2load when installed) or node', { default: 'auto' }],
    ['--workers <list>', 'Worker counts for the http and grpc targets, e.g. 1,2,4 (beside N-thread baselines)'],
    ['--journal-size <n>', 'Journal size of the mockd under test (default: mockd start\'s default)'],
    ['--out <dir>', 'Directory for latest.json and latest.md (env MOCKD_BENCH_OUT; default benchmarks/results)'],
  ],
  async action(args, o, ctx) {
    const generator = String(o.generator);
    if (generator !== 'auto' && generator !== 'node') throw new UsageError('--generator must be auto or node');
    const protocols = targetsOf(args[0]);
    const options = {
      protocols,
      durationS: numberOption(o.duration, 'duration', 0.1),
      warmupS: numberOption(o.warmup, 'warmup', 0),
      connections: numberOption(o.connections, 'connections', 1, true),
      rounds: numberOption(o.rounds, 'rounds', 1, true),
      scaleConnections: numberOption(o.scale, 'scale', 1, true),
      generator: generator as 'auto' | 'node',
      mockdArgs: o.journalSize === undefined ? [] : ['--journal-size', String(numberOption(o.journalSize, 'journal-size', 0, true))],
      outDir: '',
    };
    if (!existsSync(fileURLToPath(RUNNER))) {
      throw new CliError('mockd bench runs from a source checkout (npm run bench); the benchmarks are not in the installed package');
    }
    const { runBench, formatTable, formatScaling, parseWorkerList, DEFAULT_OUT_DIR } = (await import(RUNNER.href)) as BenchRunner;
    if (o.workers !== undefined) {
      const workers = parseWorkerList(String(o.workers));
      if (!workers) throw new UsageError('--workers must be a list of numbers from 1 to 64, e.g. 1,2,4');
      Object.assign(options, { workers });
    }
    const out = str(o.out) ?? process.env.MOCKD_BENCH_OUT;
    options.outDir = out ? resolve(out) : DEFAULT_OUT_DIR;
    const { report, exitCode, files } = await runBench(options);
    if (ctx.json) printJson(report);
    else {
      print(formatTable(report.results));
      const scaling = formatScaling(report.results);
      if (scaling) print(`\nScaling (each worker count against the first):\n${scaling}`);
      process.stderr.write(`Results written to ${files.join(' and ')}\n`);
    }
    if (exitCode !== 0) {
      for (const failure of report.failures) process.stderr.write(`Error: ${failure}\n`);
      // main.ts sets the exit code from the action's outcome once it resolves; a failed run still printed its report
      // (and with --json stdout must hold only that), so the 1 is set at the very end instead of by throwing.
      process.once('beforeExit', () => {
        process.exitCode = 1;
      });
    }
  },
};
