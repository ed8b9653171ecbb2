// Turning results into the contract §11 table, the latest.json / latest.md files, and the machine description.

import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { table } from '../src/cli/output.ts';
import type { BenchReport, BenchResult, MachineInfo, TargetResult } from './types.ts';
import { SCALING_HEADERS, scalingRows } from './scaling.ts';

export const TABLE_HEADERS = ['PROTOCOL', 'SCENARIO', 'TARGET', 'THROUGHPUT', 'P50', 'P99', 'RATIO'];

export function describeMachine(fdLimit: number, loadAverage: MachineInfo['loadAverage']): MachineInfo {
  const list = cpus();
  return {
    loadAverage,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${platform()} ${arch()}`,
    ...(fdLimit > 0 ? { fileDescriptorLimit: String(fdLimit) } : {}),
  };
}

function formatValue(value: number, unit: string): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

const formatMs = (ms: number | null) => (ms === null ? '-' : `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`);

function cells(r: BenchResult, target: string, t: TargetResult | null, ratio: string): string[] {
  const scenario = r.workers === undefined ? r.scenario : `${r.scenario} [${r.workers} worker${r.workers === 1 ? '' : 's'}]`;
  r = { ...r, scenario };
  if (!t) return [r.protocol, r.scenario, target, r.note?.startsWith('failed') ? 'failed' : 'skipped', '-', '-', '-'];
  return [r.protocol, r.scenario, target, formatValue(t.throughput, r.unit), formatMs(t.p50Ms), formatMs(t.p99Ms), ratio];
}

/** Two rows per scenario: mockd (with the ratio) and its baseline. */
export function tableRows(results: BenchResult[]): string[][] {
  return results.flatMap((r) => [
    cells(r, 'mockd', r.mockd, r.ratio === null ? '-' : r.ratio.toFixed(2)),
    cells(r, r.baseline?.library ?? 'baseline', r.baseline, '-'),
  ]);
}

export function formatTable(results: BenchResult[]): string {
  return table(TABLE_HEADERS, tableRows(results));
}

function markdownTable(headers: string[], rows: string[][]): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`)].join('\n');
}

export function formatMarkdown(report: BenchReport): string {
  const m = report.machine;
  const cpuRows = report.results.flatMap((r) =>
    (
      [
        ['mockd', r.mockd],
        [r.baseline?.library ?? 'baseline', r.baseline],
      ] as const
    )
      .filter(([, t]) => t?.cpuCores !== undefined)
      .map(([name, t]) => [r.protocol, r.workers === undefined ? r.scenario : `${r.scenario} [${r.workers}]`, name, t!.cpuCores!.toFixed(2), t!.cpuUsPerOp === undefined ? '-' : t!.cpuUsPerOp.toFixed(1)]),
  );
  const generatorRows = report.results.map((r) => [
    r.protocol,
    r.scenario,
    r.generator,
    r.generatorLoad ? `${r.generatorLoad.mockd.toFixed(2)} / ${r.generatorLoad.baseline.toFixed(2)}` : '-',
  ]);
  const notes = report.results.filter((r) => r.note).map((r) => `- **${r.protocol} — ${r.scenario}:** ${r.note}`);
  return [
    '# mockd benchmarks',
    '',
    `Run at ${report.timestamp}: each scenario measured ${report.durationS} s per target, split over ${report.rounds} interleaved`,
    `rounds (mockd, baseline, baseline, mockd), each after a ${report.warmupS} s warm-up, with ${report.connections} connections.`,
    'RATIO is mockd over the baseline. For `scale` rows the value is a cost (KB per connection, ms), so lower is better.',
    `mockd ran as \`${report.mockdCommand}\` (plus \`--max-sse-streams\` for the sse scenario); each baseline in its own process.`,
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpuModel}, ${m.cores} cores`,
    `- Memory: ${m.memoryGiB} GiB`,
    `- Node.js ${report.node} on ${m.platform}`,
    `- Open-file limit of the targets and the scale clients: ${m.fileDescriptorLimit ?? 'not raised'}`,
    `- 1-minute load average: ${m.loadAverage.start.toFixed(2)} at the start, ${m.loadAverage.end.toFixed(2)} at the end`,
    '',
    '## Results',
    '',
    markdownTable(TABLE_HEADERS, tableRows(report.results)),
    '',
    '## Load generators',
    '',
    'GENERATOR LOAD is the mean event-loop utilisation of the Node generator threads during mockd / baseline rounds;',
    'near 1.00 the generator, not the server, may be what limits throughput. External tools (wrk, h2load) show `-`.',
    '',
    markdownTable(['PROTOCOL', 'SCENARIO', 'GENERATOR', 'GENERATOR LOAD'], generatorRows),
    '',
    '## Server CPU',
    '',
    'CPU time of the whole target process (all threads) over the measured windows: cores busy, and CPU µs per operation.',
    '',
    markdownTable(['PROTOCOL', 'SCENARIO', 'TARGET', 'CPU (cores)', 'CPU µs/op'], cpuRows),
    ...(report.workers
      ? [
          '',
          '## Scaling',
          '',
          `Each worker count against the first (${report.workers[0]}): mockd with \`--workers N\`, the baseline as N reusePort threads.`,
          `On a machine with ${m.cores} cores the load generator shares the cores with the server.`,
          '',
          markdownTable(SCALING_HEADERS, scalingRows(report.results)),
        ]
      : []),
    ...(notes.length > 0 ? ['', '## Notes', '', ...notes] : []),
    '',
  ].join('\n');
}

/** Writes latest.json and latest.md into `dir`; returns their paths. */
export function writeReport(report: BenchReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'latest.json');
  const md = join(dir, 'latest.md');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, formatMarkdown(report));
  return [json, md];
}
