// Cluster mode figures (README "Cluster mode"), measured on loopback with one redis-server and three replicas, each
// a `mockd start --cluster` subprocess with one worker per protocol:
//   1. write → serving everywhere: a PUT on replica A until B and C both announce the new version on /events (their
//      `mock.updated` is emitted once their worker serves it), p50/p99;
//   2. `GET /websocket/connections` on A with `--connections` WebSocket clients on each replica (3 × 3,000);
//   3. close and send routed from A to connections on B, p50/p99;
//   4. CPU per HTTP request of a single mockd against cluster replica A (and the whole cluster with Redis), both
//      under the same load in this run, read from /proc: a ratio, not a throughput.
// node --import tsx benchmarks/cluster.ts [--connections 3000] [--writes 200] [--routed 200] [--requests 20000] [--json]

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { cpuSeconds } from './proc-stats.ts';

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '3000' },
    writes: { type: 'string', default: '200' },
    routed: { type: 'string', default: '200' },
    requests: { type: 'string', default: '20000' },
    json: { type: 'boolean', default: false },
  },
});
const BIN = fileURLToPath(new URL('../bin/mockd.js', import.meta.url));
const children: ChildProcess[] = [];
const sockets: WebSocket[] = [];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function waitFor(child: ChildProcess, stream: 'stdout' | 'stderr', re: RegExp, what: string): Promise<RegExpExecArray> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: not ready in 60 s`)), 60_000);
    child[stream]!.on('data', (d) => {
      text += d;
      const m = re.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
  });
}

async function startMockd(env: NodeJS.ProcessEnv): Promise<{ pid: number; mockUrl: string; adminUrl: string }> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--admin-port', '0', '--no-persist', '--log-level', 'warn'], {
    env: { ...process.env, MOCKD_WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const m = await waitFor(child, 'stdout', /Mock server: (\S+)[\s\S]*Admin API: (\S+)/, 'mockd');
  return { pid: child.pid!, mockUrl: m[1]!, adminUrl: m[2]! };
}

async function api(base: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<any> {
  const res = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

function pct(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2));
}

/** Resolves with a function that awaits the next `mock.updated` of `id` on a replica's /events stream. */
async function updates(adminUrl: string, id: string): Promise<() => Promise<void>> {
  const res = await fetch(`${adminUrl}/events`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let waiters: (() => void)[] = [];
  let pending = 0;
  void (async () => {
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done || !value) return;
      buffer += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (block.includes('event:mock.updated') && block.includes(`"id":"${id}"`)) {
          const w = waiters.shift();
          if (w) w();
          else pending++;
        }
      }
    }
  })();
  return () =>
    new Promise<void>((resolve, reject) => {
      if (pending > 0) {
        pending--;
        return resolve();
      }
      const timer = setTimeout(() => reject(new Error('no mock.updated within 10 s')), 10_000);
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
}

async function openMany(url: string, n: number): Promise<void> {
  const batch = 200;
  for (let i = 0; i < n; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, () =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(url);
          sockets.push(ws);
          ws.once('open', () => resolve());
          ws.once('error', reject);
        }),
      ),
    );
  }
}

async function load(url: string, total: number, concurrency = 16): Promise<void> {
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total) {
        sent++;
        const res = await fetch(url);
        await res.arrayBuffer();
      }
    }),
  );
}

async function main(): Promise<void> {
  const redisPort = await freePort();
  const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(redis);
  await waitFor(redis, 'stdout', /Ready to accept connections/, 'redis-server');
  const cluster = { MOCKD_CLUSTER_URL: `redis://127.0.0.1:${redisPort}` };
  const a = await startMockd({ ...cluster, MOCKD_REPLICA_ID: 'a' });
  const b = await startMockd({ ...cluster, MOCKD_REPLICA_ID: 'b' });
  const c = await startMockd({ ...cluster, MOCKD_REPLICA_ID: 'c' });
  const single = await startMockd({});
  const out: Record<string, unknown> = { node: process.version, replicas: 3, note: 'loopback, one machine shared with other work: latencies include that load' };

  // 1. write → serving on every replica
  const httpMock = (body: string) => ({ type: 'http', http: { matcher: { path: '/w' }, response: { statusCode: 200, body } } });
  await api(a.adminUrl, '/mocks', { method: 'POST', body: { id: 'http_w', ...httpMock('0') } });
  const nextOnB = await updates(b.adminUrl, 'http_w');
  const nextOnC = await updates(c.adminUrl, 'http_w');
  const writes: number[] = [];
  for (let i = 1; i <= Number(args.writes); i++) {
    const t0 = performance.now();
    const seen = Promise.all([nextOnB(), nextOnC()]);
    await api(a.adminUrl, '/mocks/http_w', { method: 'PUT', body: httpMock(String(i)) });
    await seen;
    writes.push(performance.now() - t0);
  }
  out.writeToServingEverywhereMs = { p50: pct(writes, 50), p99: pct(writes, 99), samples: writes.length };

  // 2. admin list of 3 × N WebSocket connections through A
  const n = Number(args.connections);
  await api(a.adminUrl, '/mocks', { method: 'POST', body: { id: 'ws_many', type: 'websocket', websocket: { path: '/many', echoMode: true } } });
  for (const r of [a, b, c]) await openMany(`${r.mockUrl.replace('http', 'ws')}/many`, n);
  const lists: number[] = [];
  let listed = 0;
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const res = await fetch(`${a.adminUrl}/websocket/connections`, { signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    lists.push(performance.now() - t0);
    listed = (JSON.parse(text) as { connections: unknown[] }).connections.length;
    bytes = text.length;
  }
  out.listThreeReplicasMs = { connections: listed, bytes, p50: pct(lists, 50), max: pct(lists, 100), samples: lists.length };

  // 3. send and close routed from A to B
  const onB = ((await api(b.adminUrl, '/websocket/connections')) as { connections: { id: string }[] }).connections.map((x) => x.id);
  const sends: number[] = [];
  const closes: number[] = [];
  const routed = Math.min(Number(args.routed), onB.length);
  for (let i = 0; i < routed; i++) {
    const t0 = performance.now();
    await api(a.adminUrl, `/websocket/connections/${onB[i]}/send`, { method: 'POST', body: { data: 'hi' } });
    sends.push(performance.now() - t0);
  }
  for (let i = 0; i < routed; i++) {
    const t0 = performance.now();
    await api(a.adminUrl, `/websocket/connections/${onB[i]}`, { method: 'DELETE' });
    closes.push(performance.now() - t0);
  }
  out.routedSendMs = { p50: pct(sends, 50), p99: pct(sends, 99), samples: sends.length };
  out.routedCloseMs = { p50: pct(closes, 50), p99: pct(closes, 99), samples: closes.length };
  for (const ws of sockets) ws.terminate();

  // 4. CPU per HTTP request: single mockd vs cluster replica A (and the whole cluster, Redis included)
  await api(single.adminUrl, '/mocks', { method: 'POST', body: { id: 'http_w', ...httpMock('x') } });
  const requests = Number(args.requests);
  await load(`${single.mockUrl}/w`, 2000);
  await load(`${a.mockUrl}/w`, 2000);
  const cpu = (pids: number[]) => pids.reduce((s, p) => s + (cpuSeconds(p) ?? 0), 0);
  const clusterPids = [a.pid, b.pid, c.pid, redis.pid!];
  let s0 = cpu([single.pid]);
  await load(`${single.mockUrl}/w`, requests);
  const singleCpu = cpu([single.pid]) - s0;
  s0 = cpu([a.pid]);
  const all0 = cpu(clusterPids);
  await load(`${a.mockUrl}/w`, requests);
  const replicaCpu = cpu([a.pid]) - s0;
  const clusterCpu = cpu(clusterPids) - all0;
  out.httpCpuPerRequestUs = {
    requests,
    single: Number(((singleCpu / requests) * 1e6).toFixed(1)),
    clusterReplica: Number(((replicaCpu / requests) * 1e6).toFixed(1)),
    clusterAll: Number(((clusterCpu / requests) * 1e6).toFixed(1)),
    ratioReplica: Number((replicaCpu / singleCpu).toFixed(2)),
    ratioAll: Number((clusterCpu / singleCpu).toFixed(2)),
  };

  if (args.json) console.log(JSON.stringify(out, null, 2));
  else for (const [k, v] of Object.entries(out)) console.log(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`);
}

try {
  await main();
} finally {
  for (const ws of sockets) ws.terminate();
  for (const child of children.reverse()) child.kill('SIGTERM');
}
process.exit(0);
