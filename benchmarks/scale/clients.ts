// The scale target's client process: holds N idle WebSocket connections to one target, in its own process (started
// with a raised open-file limit by targets.ts) and spread over worker threads. Driven over stdin/stdout lines:
//   stdout `SCALE {"event":"opened",…}` once every connection was attempted;
//   stdin  `{"trigger":{"method","url","body"?}}` sends that request and times from its start to the last close;
//   stdout `SCALE {"event":"closed",…}` with the close times relative to the trigger, then the process exits.

import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../src/coordinator/spawn.ts';
import { argValue } from '../baselines/ready.ts';
import type { ThreadCommand, ThreadReply } from './client-thread.ts';

const CLOSE_DEADLINE_MS = 30_000;
const url = argValue('url', '');
const count = Number(argValue('count', '10000'));
const threadCount = Math.max(1, Math.min(Number(argValue('threads', '2')), count));
const entry = fileURLToPath(new URL('./client-thread.ts', import.meta.url));

const emit = (event: Record<string, unknown>) => process.stdout.write(`SCALE ${JSON.stringify(event)}\n`);
const threads: Worker[] = Array.from({ length: threadCount }, () => spawnWorker(entry, {}));

function ask<T extends ThreadReply['type']>(worker: Worker, command: ThreadCommand, type: T): Promise<Extract<ThreadReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: ThreadReply) => {
      if (reply.type !== type) return;
      worker.off('message', onMessage);
      resolve(reply as Extract<ThreadReply, { type: T }>);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.postMessage(command);
  });
}

const startedAt = performance.now();
const opened = await Promise.all(
  threads.map((w, i) => ask(w, { type: 'open', url, count: Math.floor(count / threadCount) + (i < count % threadCount ? 1 : 0) }, 'opened')),
);
emit({
  event: 'opened',
  opened: opened.reduce((n, r) => n + r.opened, 0),
  failed: opened.reduce((n, r) => n + r.failed, 0),
  firstError: opened.find((r) => r.firstError)?.firstError,
  ms: Math.round(performance.now() - startedAt),
});

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { trigger } = JSON.parse(line) as { trigger: { method: string; url: string; body?: unknown } };
  const t0 = performance.timeOrigin + performance.now();
  const deadline = t0 + CLOSE_DEADLINE_MS;
  const closed = Promise.all(threads.map((w) => ask(w, { type: 'collect', deadline }, 'closed')));
  const res = await fetch(trigger.url, {
    method: trigger.method,
    headers: trigger.body === undefined ? {} : { 'content-type': 'application/json' },
    body: trigger.body === undefined ? undefined : JSON.stringify(trigger.body),
    signal: AbortSignal.timeout(CLOSE_DEADLINE_MS),
  });
  await res.arrayBuffer();
  const requestMs = performance.timeOrigin + performance.now() - t0;
  const replies = await closed;
  const times = replies.flatMap((r) => r.times.map((t) => t - t0)).sort((a, b) => a - b);
  const codes: Record<string, number> = {};
  for (const r of replies) for (const [code, n] of Object.entries(r.codes)) codes[code] = (codes[code] ?? 0) + n;
  const at = (p: number) => (times.length > 0 ? times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]! : 0);
  emit({
    event: 'closed',
    status: res.status,
    requestMs,
    firstMs: times[0] ?? 0,
    lastMs: times.at(-1) ?? 0,
    p50Ms: at(50),
    p99Ms: at(99),
    codes,
    stillOpen: replies.reduce((n, r) => n + r.open, 0),
  });
  break;
}
for (const w of threads) w.postMessage({ type: 'close' } satisfies ThreadCommand);
await Promise.all(threads.map((w) => w.terminate()));
process.exit(0);
