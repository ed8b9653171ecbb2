// The contract §11 table and the markdown report, from hand-made results.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMarkdown, formatTable, tableRows } from '../../benchmarks/report.ts';
import type { BenchReport, BenchResult } from '../../benchmarks/types.ts';

const measured: BenchResult = {
  protocol: 'http',
  scenario: 'GET static JSON, keep-alive, 1 mock',
  unit: 'req/s',
  mockd: { throughput: 21000, p50Ms: 2.1, p99Ms: 6.4, errors: 0, cpuCores: 0.98, cpuUsPerOp: 46.7 },
  baseline: { library: 'node:http', throughput: 30000, p50Ms: 1.5, p99Ms: 14.25, errors: 0 },
  ratio: 0.7,
  generator: 'wrk 4.1.0 (2 threads)',
};
const skipped: BenchResult = {
  protocol: 'grpc',
  scenario: 'unary SayHello, 50 calls in flight',
  unit: 'calls/s',
  mockd: null,
  baseline: null,
  ratio: null,
  generator: 'h2load',
  note: 'skipped: the gRPC mock could not be created: 400',
};

describe('benchmark report', () => {
  test('gives each scenario a mockd row with the ratio and a baseline row without', () => {
    assert.deepEqual(tableRows([measured]), [
      ['http', measured.scenario, 'mockd', '21,000 req/s', '2.10 ms', '6.40 ms', '0.70'],
      ['http', measured.scenario, 'node:http', '30,000 req/s', '1.50 ms', '14.3 ms', '-'],
    ]);
  });

  test('marks both rows of a scenario that could not run as skipped', () => {
    assert.deepEqual(tableRows([skipped]).map((r) => r.slice(2)), [
      ['mockd', 'skipped', '-', '-', '-'],
      ['baseline', 'skipped', '-', '-', '-'],
    ]);
  });

  test('prints uppercase headers with columns at least two spaces apart', () => {
    const [header] = formatTable([measured]).split('\n');
    assert.match(header!, /^PROTOCOL {2,}SCENARIO {2,}TARGET {2,}THROUGHPUT {2,}P50 {2,}P99 {2,}RATIO$/);
  });

  test('describes the machine, the generators, server CPU and the notes in markdown', () => {
    const report: BenchReport = {
      timestamp: '2026-03-01T10:15:30.123Z',
      node: 'v20.19.0',
      cpus: 2,
      durationS: 10,
      warmupS: 2,
      connections: 50,
      rounds: 2,
      mockdCommand: 'mockd start --port 0 --admin-port 0 --no-persist',
      machine: { cpuModel: 'AMD EPYC', cores: 2, memoryGiB: 23.5, platform: 'linux x64', loadAverage: { start: 0.5, end: 1.5 } },
      results: [measured, skipped],
      failures: [],
    };
    const md = formatMarkdown(report);
    assert.match(md, /- CPU: AMD EPYC, 2 cores/);
    assert.match(md, /\| http \| GET static JSON, keep-alive, 1 mock \| mockd \| 21,000 req\/s \| 2\.10 ms \| 6\.40 ms \| 0\.70 \|/);
    assert.match(md, /\| http \| GET static JSON, keep-alive, 1 mock \| wrk 4\.1\.0 \(2 threads\) \| - \|/);
    assert.match(md, /\| http \| GET static JSON, keep-alive, 1 mock \| mockd \| 0\.98 \| 46\.7 \|/);
    assert.match(md, /- \*\*grpc — unary SayHello, 50 calls in flight:\*\* skipped: the gRPC mock could not be created: 400/);
  });
});
