// A scrape stays fast at load-test scale (issue 23): with 1,000 mocks and 10,000 live WebSocket connections, GET
// /metrics answers in under 100 ms and counts every connection. The clients live in four child processes (a process
// holding both ends of 10,000 sockets would pass the usual 20,000 open-file limit).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { eventually, ROOT, startMockd, tempDir } from '../helpers/mockd.ts';
import { deferred, fetchWithTimeout, processExit, within } from '../helpers/wait.ts';
import { parseMetrics, valueOf } from '../helpers/metrics.ts';

const MOCKS = 1000;
const CONNECTIONS = 10_000;
const PROCESSES = 4;
const CLIENTS = join(ROOT, 'test/fixtures/metrics/ws-clients.mjs');

test(`a scrape with ${MOCKS} mocks and ${CONNECTIONS} live WebSocket connections answers in under 100 ms`, { timeout: 180_000 }, async (t) => {
  const dir = tempDir(t);
  const config = join(dir, 'mocks.json');
  const mocks = Array.from({ length: MOCKS }, (_, i) => ({ id: `scale_${i}`, type: 'websocket', websocket: { path: `/s/${i}`, echoMode: true } }));
  writeFileSync(config, JSON.stringify({ mocks }));
  const m = await startMockd(t, { config });

  const wsBase = m.mockUrl.replace('http', 'ws');
  const children = Array.from({ length: PROCESSES }, (_, p) => {
    // Each process covers a quarter of the mocks, so every mock gets CONNECTIONS / MOCKS clients.
    const urls = mocks.filter((_, i) => i % PROCESSES === p).map((mock) => `${wsBase}${mock.websocket.path}`);
    const child = spawn(process.execPath, [CLIENTS, String(CONNECTIONS / PROCESSES), ...urls], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    t.after(async () => {
      child.stdin!.end();
      if (child.exitCode === null) await processExit(child, 'a client process to exit', 30_000).catch(() => child.kill('SIGKILL'));
    });
    return child;
  });
  await within(
    Promise.all(children.map((child) => {
      const opened = deferred();
      let out = '';
      child.stdout!.on('data', (d) => ((out += d), /open \d+/.test(out) && opened.resolve()));
      child.once('exit', (code) => opened.reject(new Error(`a client process exited with ${code} before opening its connections`)));
      return opened.promise;
    })),
    `${CONNECTIONS} WebSocket connections to open`,
    120_000,
  );

  // Every connection is in the gauge before timing starts (this also warms the scrape path up, as a running
  // Prometheus has it warm).
  await eventually(
    async () => valueOf(parseMetrics(await (await fetchWithTimeout(`${m.adminUrl}/metrics`)).text()), 'mockd_connections', { protocol: 'websocket' }),
    (n) => n === CONNECTIONS,
    30_000,
  );
  const timings: number[] = [];
  const cpu: number[] = [];
  let text = '';
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const res = await fetchWithTimeout(`${m.adminUrl}/metrics`);
    text = await res.text();
    timings.push(performance.now() - started);
    // mockd runs in this process: its CPU time (every thread) is the scrape's cost, whatever else loads the machine.
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
    assert.equal(res.status, 200);
  }
  const f = parseMetrics(text);
  assert.equal(valueOf(f, 'mockd_connections', { protocol: 'websocket' }), CONNECTIONS);
  assert.equal(valueOf(f, 'mockd_connections', { protocol: 'websocket', mock_id: 'scale_999' }), CONNECTIONS / MOCKS);
  assert.equal(f.find((x) => x.name === 'mockd_connections')!.metrics.length, MOCKS);
  assert.equal(valueOf(f, 'mockd_mocks', { state: 'enabled' }), MOCKS);
  const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[2]!;
  const show = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
  t.diagnostic(`scrape wall times (ms): ${show(timings)}; CPU (ms): ${show(cpu)}; ${text.length} bytes; load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
  assert.ok(medianOf(cpu) < 100, `the median scrape used ${medianOf(cpu).toFixed(1)} ms of CPU (${show(cpu)})`);
  // Wall time is only meaningful when the machine is not overloaded by others (a shared CI box at load 10 on 2 cores
  // stretches every wait); there the CPU time above is the bound.
  if (loadavg()[0]! <= availableParallelism() * 1.5) {
    assert.ok(medianOf(timings) < 100, `the median of 5 scrapes took ${medianOf(timings).toFixed(1)} ms (${show(timings)})`);
  } else {
    t.diagnostic(`wall-clock bound not checked: load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
  }
});
