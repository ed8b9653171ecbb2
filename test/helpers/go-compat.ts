// Helpers for the tests that run a Go mockd user's scripts (issue 24): a free port for MQTT and gRPC mocks, and
// `mockd <args>` as a long-lived subprocess started the way a shell script starts it (`mockd serve … &`).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { TestContext } from 'node:test';
import { BIN, ROOT, SUBPROCESS_ENV } from './mockd.ts';

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening', { signal: AbortSignal.timeout(5000) });
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close', { signal: AbortSignal.timeout(5000) });
  return port;
}

export interface Started {
  mockUrl: string;
  adminUrl: string;
  stderr(): string;
}

/** Runs `mockd <args>` as a long-lived subprocess, the way a shell script's `mockd serve … &` does. */
export async function spawnServer(t: TestContext, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...SUBPROCESS_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const urls = await new Promise<{ mockUrl: string; adminUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mockd did not start in 60 s; stderr: ${err}`)), 60_000);
    const check = () => {
      const mock = /Mock server: (\S+)/.exec(out);
      const admin = /Admin API: (\S+)/.exec(out);
      if (mock && admin) {
        clearTimeout(timer);
        resolve({ mockUrl: mock[1]!, adminUrl: admin[1]! });
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mockd exited with ${code} before starting; stderr: ${err}`));
    });
  });
  return { ...urls, stderr: () => err };
}
