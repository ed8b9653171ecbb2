// A fair multi-core baseline for `mockd bench --workers N`: N threads of the bare library serving one port with
// reusePort (Linux, Node >= 22.12), the same way N mockd workers share it. A baseline script calls `serveBaseline`
// with a function that binds its server on (port, reusePort) and resolves with the bound port; with `--threads 1`
// (the default) it runs alone in the main thread, exactly as before.

import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { spawnWorker } from '../../src/coordinator/spawn.ts';
import { announceReady, argValue, onShutdown } from './ready.ts';

export type Serve = (port: number, reusePort: boolean) => Promise<{ port: number; close(): Promise<unknown> | unknown }>;

interface ThreadData {
  baselineThread: { port: number };
}

export async function serveBaseline(scriptUrl: string, serve: Serve, extra: Record<string, string | number> = {}): Promise<void> {
  if (!isMainThread) {
    const { port } = (workerData as ThreadData).baselineThread;
    const server = await serve(port, true);
    parentPort!.postMessage({ port: server.port });
    return;
  }
  const threads = Math.max(1, Number(argValue('threads', '1')) || 1);
  if (threads === 1) {
    const server = await serve(0, false);
    announceReady({ port: server.port, threads: 1, ...extra });
    onShutdown(() => server.close());
    return;
  }
  const workers: Worker[] = [];
  const start = async (port: number): Promise<number> => {
    const worker = spawnWorker(fileURLToPath(scriptUrl), { workerData: { baselineThread: { port } } satisfies ThreadData, argv: process.argv.slice(2) });
    workers.push(worker);
    const [msg] = (await new Promise((resolve, reject) => {
      worker.once('message', (m) => resolve([m]));
      worker.once('error', reject);
    })) as [{ port: number }];
    return msg.port;
  };
  const port = await start(0);
  for (let i = 1; i < threads; i++) await start(port);
  announceReady({ port, threads, ...extra });
  onShutdown(() => Promise.all(workers.map((w) => w.terminate())));
}
