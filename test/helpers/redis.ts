// A real redis-server (Debian's package) for cluster tests: on a free loopback port, nothing saved to disk, stopped
// when the test ends. `.ci/run` installs it when missing; without it the cluster tests skip with that reason.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { processExit, within } from './wait.ts';

// With CI set, a missing redis-server fails the cluster tests instead of skipping them (.ci/run installs it).
export const hasRedis = spawnSync('redis-server', ['--version']).status === 0 || process.env.CI !== undefined;

export interface RedisProcess {
  port: number;
  url: string;
  child: ChildProcess;
  /** Stops it (SIGTERM); resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing was saved); resolves once it accepts connections. */
  restart(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function launch(port: number, extra: string[] = []): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await within(
    new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
    }),
    'redis-server to accept connections',
    10_000,
  );
  return child;
}

/** `password`: the server requires it (`--requirepass`), and `url` carries it. */
export async function startRedis(t: { after(fn: () => unknown): void }, opts: { password?: string } = {}): Promise<RedisProcess> {
  const port = await freePort();
  const extra = opts.password ? ['--requirepass', opts.password] : [];
  const r: RedisProcess = {
    port,
    url: opts.password ? `redis://:${encodeURIComponent(opts.password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    child: await launch(port, extra),
    async stop() {
      if (r.child.exitCode !== null || r.child.signalCode !== null) return;
      r.child.kill('SIGTERM');
      await processExit(r.child, 'redis-server to exit', 10_000);
    },
    async restart() {
      await r.stop();
      r.child = await launch(port, extra);
    },
  };
  t.after(() => r.stop());
  return r;
}
