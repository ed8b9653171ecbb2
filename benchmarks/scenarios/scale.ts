// Connection scale (the issue's `scale` target): N idle WebSocket clients (10,000 by default) held by a client process
// of their own, against mockd's echo mock and against the bare `ws` server. Three rows, each a cost (lower is better):
// - memory: the target's RSS growth while the clients are connected, divided by N;
// - mock update → last 1012: from sending PATCH /mocks/{id} (baseline: POST /close-all, which closes every client
//   with 1012) to the last client's close event; P50/P99 are over all clients' close times;
// - admin list: GET /websocket/connections (baseline: GET /connections, the same records) with N connections open.

import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { rssBytes } from '../proc-stats.ts';
import { ratioOf, round2, round3, skippedRow, type BenchContext } from '../scenario.ts';
import { withSession } from '../session.ts';
import { launcherFdLimit, spawnNode, ROOT, WANTED_FD_LIMIT, type RunningTarget } from '../targets.ts';
import type { BaselineResult, BenchResult, TargetResult } from '../types.ts';
import { WS_ECHO_MOCK } from './websocket.ts';

const LIST_CALLS = 10;
const SETTLE_MS = 1000;
const OPEN_TIMEOUT_MS = 180_000;
/** Descriptors kept free for everything else a process opens (listeners, workers, files). */
const FD_HEADROOM = 500;

interface SideOutcome {
  memory: TargetResult;
  update: TargetResult;
  list: TargetResult;
  /** When the first close arrived and when the trigger request was answered, for the update row's note. */
  updateDetail: string;
}

interface SideSpec {
  target: RunningTarget;
  wsUrl: string;
  trigger: { method: string; url: string; body?: unknown };
  /** Answers `{"connections":[…]}` (contract §9.2 for mockd; the same records for the baseline). */
  listUrl: string;
}

export async function benchScale(ctx: BenchContext): Promise<BenchResult[]> {
  const limit = launcherFdLimit();
  const wanted = ctx.options.scaleConnections;
  const n = limit > 0 ? Math.min(wanted, limit - FD_HEADROOM) : wanted;
  const raised = limit >= WANTED_FD_LIMIT ? `${limit}` : limit > 0 ? `${limit}, the hard limit: ${WANTED_FD_LIMIT} was refused` : 'not raised';
  const generator = `raw WebSocket clients in a subprocess (2 threads, open-file limit ${raised})`;
  const note = n < wanted ? `only ${n} connections: the open-file limit could not be raised above ${limit}` : undefined;
  const names = {
    memory: `idle WebSocket connections, memory per connection (${n.toLocaleString('en-US')} clients)`,
    update: `mock update → last client gets 1012 (${n.toLocaleString('en-US')} clients)`,
    list: `admin list of ${n.toLocaleString('en-US')} connections`,
  };
  const scenarios = [
    { scenario: names.memory, unit: 'KB/conn' },
    { scenario: names.update, unit: 'ms' },
    { scenario: names.list, unit: 'ms' },
  ];
  return withSession(ctx, { protocol: 'scale', scenarios, generator, baseline: 'websocket.ts' }, async (s) => {
    const created = await s.admin.create(WS_ECHO_MOCK).catch((err: Error) => err);
    if (created instanceof Error) return scenarios.map((x) => s.skip(x.scenario, x.unit, `the WebSocket mock could not be created: ${created.message}`));
    const base = `http://127.0.0.1:${s.baseline.info.port}`;
    const sides = {
      mockd: {
        target: s.mockd,
        wsUrl: `${s.mockd.info.mockServer!.replace(/^http/, 'ws')}/bench/ws`,
        trigger: { method: 'PATCH', url: `${s.admin.url}/mocks/${created.id}`, body: { name: 'bench ws echo (updated)' } },
        listUrl: `${s.admin.url}/websocket/connections`,
      },
      baseline: {
        target: s.baseline,
        wsUrl: `${base.replace(/^http/, 'ws')}/bench/ws`,
        trigger: { method: 'POST', url: `${base}/close-all` },
        listUrl: `${base}/connections`,
      },
    };
    const outcomes: Partial<Record<'mockd' | 'baseline', SideOutcome>> = {};
    for (const side of ['mockd', 'baseline'] as const) {
      const label = side === 'mockd' ? 'mockd' : 'ws';
      const outcome = await measureSide(ctx, sides[side], n, label).catch((err: Error) => err);
      if (outcome instanceof Error) {
        ctx.failures.push(`scale (${label}): ${outcome.message}`);
        return scenarios.map((x) => skippedRow('scale', x.scenario, x.unit, generator, `failed: ${outcome.message}`));
      }
      outcomes[side] = outcome;
    }
    const row = (key: 'memory' | 'update' | 'list', x: { scenario: string; unit: string }): BenchResult => {
      const mockd = outcomes.mockd![key];
      const baseline: BaselineResult = { library: 'ws', ...outcomes.baseline![key] };
      for (const [name, t] of [['mockd', mockd], ['ws', baseline]] as const) {
        // Contract §11: more than 1 % failed operations (connections, closes, listings) fails the run.
        if (t.errors > (key === 'list' ? LIST_CALLS : n) * 0.01) ctx.failures.push(`scale ${x.scenario}: ${t.errors} failures against ${name}`);
      }
      const detail = key === 'update' ? `mockd: ${outcomes.mockd!.updateDetail}; ws: ${outcomes.baseline!.updateDetail}` : undefined;
      const text = [note, detail].filter(Boolean).join('; ');
      return { protocol: 'scale', ...x, mockd, baseline, ratio: ratioOf(mockd.throughput, baseline.throughput), generator, lowerIsBetter: true, ...(text ? { note: text } : {}) };
    };
    return [row('memory', scenarios[0]!), row('update', scenarios[1]!), row('list', scenarios[2]!)];
  });
}

async function measureSide(ctx: BenchContext, side: SideSpec, n: number, label: string): Promise<SideOutcome> {
  ctx.progress.step(`scale: opening ${n.toLocaleString('en-US')} idle WebSocket connections to ${label}`);
  await sleep(SETTLE_MS);
  const rssBefore = rssBytes(side.target.pid);
  const child = spawnNode(['--import', 'tsx', `${ROOT}benchmarks/scale/clients.ts`, '--url', side.wsUrl, '--count', String(n), '--threads', '2'], { stdin: true });
  const exited = once(child, 'exit');
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-5000)));
  const events = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (timeoutMs: number): Promise<any> => {
    const bound = new AbortController();
    const failures = Promise.race([
      sleep(timeoutMs, undefined, { signal: bound.signal }).then(() => `scale clients gave no answer within ${timeoutMs / 1000} s`),
      exited.then(([code]) => `scale clients exited with ${code}`),
    ]).then((reason) => {
      throw new Error(`${reason}; stderr: ${stderr.trim()}`);
    });
    failures.catch(() => undefined);
    try {
      for (;;) {
        const line = await Promise.race([events.next(), failures]);
        if (line.done) throw new Error(`scale clients closed their output; stderr: ${stderr.trim()}`);
        const m = /^SCALE (.*)$/.exec(line.value);
        if (m) return JSON.parse(m[1]!);
      }
    } finally {
      bound.abort();
    }
  };
  try {
    const opened = await next(OPEN_TIMEOUT_MS);
    const errors = opened.failed as number;
    if (opened.opened === 0) throw new Error(`no connection opened: ${opened.firstError ?? 'unknown error'}`);
    await sleep(SETTLE_MS);
    const rssAfter = rssBytes(side.target.pid);
    const memory: TargetResult = {
      throughput: rssBefore !== undefined && rssAfter !== undefined ? round2((rssAfter - rssBefore) / 1024 / opened.opened) : 0,
      p50Ms: null,
      p99Ms: null,
      errors,
    };

    ctx.progress.step(`scale: ${LIST_CALLS} listings of ${opened.opened.toLocaleString('en-US')} connections from ${label}`);
    const list = await timeListing(side, opened.opened);

    ctx.progress.step(`scale: closing ${opened.opened.toLocaleString('en-US')} connections of ${label} by a mock update`);
    child.stdin!.write(`${JSON.stringify({ trigger: side.trigger })}\n`);
    const closed = await next(60_000);
    const closedWith1012 = (closed.codes['1012'] as number | undefined) ?? 0;
    const update: TargetResult = {
      throughput: round3(closed.lastMs),
      p50Ms: round3(closed.p50Ms),
      p99Ms: round3(closed.p99Ms),
      errors: opened.opened - closedWith1012 + (closed.status >= 400 ? 1 : 0),
    };
    const updateDetail = `first close after ${Math.round(closed.firstMs)} ms, ${side.trigger.method} answered after ${Math.round(closed.requestMs)} ms`;
    return { memory, update, list, updateDetail };
  } finally {
    child.kill('SIGKILL');
  }
}

async function timeListing(side: SideSpec, expected: number): Promise<TargetResult> {
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i < LIST_CALLS; i++) {
    const started = performance.now();
    const res = await fetch(side.listUrl, { signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    times.push(performance.now() - started);
    if (!res.ok || (JSON.parse(text) as { connections: unknown[] }).connections.length !== expected) errors++;
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => round3(times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!);
  return { throughput: at(50), p50Ms: at(50), p99Ms: at(99), errors };
}
