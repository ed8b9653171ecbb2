// The two sides of every benchmark, each in its own process so neither shares an event loop (or a core's worth of
// JIT and GC) with the load generator: `mockd start` on ports 0, and a bare baseline script from benchmarks/baselines/.
// Both go through the same launcher, which first raises the open-file limit (10,000 WebSocket clients need as many
// descriptors on the server side); a Node process cannot raise its own limit, so a shell does it and then execs node.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MOCKD_BIN = join(ROOT, 'bin', 'mockd.js');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 7_000;
export const WANTED_FD_LIMIT = 65_536;
// Tries the wanted limit, else the hard limit; `exec` keeps the pid, so the pid we read is node's.
const RAISE_LIMIT = `ulimit -n ${WANTED_FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"`;

export interface RunningTarget {
  pid: number;
  /** Values parsed from the ready output (mockd: mockServer, adminApi; baselines: whatever they print). */
  info: Record<string, string>;
  stderr(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
// A crash of the bench must not leave servers behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

let fdLimit: number | undefined;

/** The open-file limit a process started through the launcher gets (0 when it cannot be read). */
export function launcherFdLimit(): number {
  if (fdLimit === undefined) {
    const r = spawnSync('bash', ['-c', RAISE_LIMIT.replace('exec "$0" "$@"', 'ulimit -n')], { encoding: 'utf8' });
    fdLimit = r.status === 0 ? Number(r.stdout.trim()) || 0 : 0;
  }
  return fdLimit;
}

/** Starts `node <args>` with the raised file limit (plain spawn when there is no bash). */
export function spawnNode(args: string[], options: { stdin?: boolean } = {}): ChildProcess {
  const spawnOptions = { cwd: ROOT, stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] as ('pipe' | 'ignore')[] };
  const child =
    launcherFdLimit() > 0
      ? spawn('bash', ['-c', RAISE_LIMIT, process.execPath, ...args], spawnOptions)
      : spawn(process.execPath, args, spawnOptions);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Waits until `parse` finds what it needs in stdout; rejects when the process exits first or takes too long. */
async function waitReady(child: ChildProcess, label: string, parse: (stdout: string) => Record<string, string> | undefined): Promise<RunningTarget> {
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-20_000);
  });
  const exited = once(child, 'exit');
  const info = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start within ${START_TIMEOUT_MS / 1000} s; stderr: ${err}`)), START_TIMEOUT_MS);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const found = parse(out);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before it was ready; stderr: ${err.trim()}`));
    });
  });
  return {
    pid: child.pid!,
    info,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** `mockd start --port 0 --admin-port 0 --no-persist`, ready once both startup lines (contract §1) are printed. */
export function startMockd(extraArgs: string[] = []): Promise<RunningTarget> {
  const child = spawnNode([MOCKD_BIN, 'start', '--port', '0', '--admin-port', '0', '--no-persist', ...extraArgs]);
  return waitReady(child, 'mockd', (out) => {
    const mock = /Mock server: (\S+)/.exec(out);
    const admin = /Admin API: (\S+)/.exec(out);
    return mock && admin ? { mockServer: mock[1]!, adminApi: admin[1]! } : undefined;
  });
}

/** A script from benchmarks/baselines/, ready once it prints `BASELINE_READY {json}`. */
export function startBaseline(script: string, args: string[] = []): Promise<RunningTarget> {
  const child = spawnNode(['--import', 'tsx', join(ROOT, 'benchmarks', 'baselines', script), ...args]);
  return waitReady(child, `baseline ${script}`, (out) => {
    const line = /BASELINE_READY (\{.*\})/.exec(out);
    return line ? (JSON.parse(line[1]!) as Record<string, string>) : undefined;
  });
}
