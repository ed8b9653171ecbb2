// Starting a real mockd for black-box tests: in-process (real worker threads, real sockets on port 0) or as a
// `mockd start` subprocess. Both stop themselves when the test ends.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { startMockd as start, type RunningMockd, type StartOptions } from '../../src/server.ts';
import { processExit, within } from './wait.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'mockd.js');

/**
 * A `mockd start` a test spawns runs one worker per protocol unless the test says otherwise (as the in-process
 * startMockd does): pools are tested on purpose (test/coordinator/worker-pool*.test.ts, test/cli/workers.test.ts),
 * and dozens of subprocesses each running a pool per protocol would load a 2-core CI machine for nothing.
 */
export const SUBPROCESS_ENV: NodeJS.ProcessEnv = { MOCKD_WORKERS: '1' };

type Ctx = Pick<TestContext, 'after'> | { after(fn: () => unknown): void };

/** An in-process mockd on ports 0 with persistence off, closed after the test (or suite). */
export async function startMockd(t: Ctx, opts: StartOptions = {}): Promise<RunningMockd & Admin> {
  // One worker per protocol unless a test asks for a pool, so the suite's assumptions hold on every runtime.
  const m = await start({ port: 0, adminPort: 0, persist: false, logLevel: 'error', workers: 1, ...opts });
  t.after(() => m.close());
  return Object.assign(m, adminClient(m.adminUrl));
}

export interface Admin {
  api(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  createMock(mock: unknown): Promise<any>;
}

export function adminClient(adminUrl: string, defaultHeaders: Record<string, string> = {}): Admin {
  const api: Admin['api'] = async (path, init = {}) => {
    const res = await fetch(adminUrl + path, {
      method: init.method ?? 'GET',
      headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...defaultHeaders, ...init.headers },
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body, headers: res.headers };
  };
  return {
    api,
    async createMock(mock) {
      const r = await api('/mocks', { method: 'POST', body: mock });
      if (r.status !== 201 && r.status !== 200) throw new Error(`createMock failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.mock;
    },
  };
}

export function tempDir(t: Ctx, prefix = 'mockd-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface MockdProcess {
  child: ChildProcess;
  mockUrl: string;
  adminUrl: string;
  /** Everything the process printed to stdout so far (all of it, once it has exited and `stdoutEnded` resolved). */
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout has ended (the process exited and its output is all read); rejects after `ms`. */
  stdoutEnded(ms?: number): Promise<void>;
  /**
   * Sends a signal and resolves with the exit code (null when a signal killed it); rejects if the process has not
   * exited within `ms` (10 s by default), naming the signal.
   */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<number | null>;
}

/** `mockd start` as a subprocess; resolves once both startup lines are printed. */
export async function spawnMockd(t: Ctx, args: string[] = [], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<MockdProcess> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--admin-port', '0', ...args], {
    cwd,
    env: { ...process.env, ...SUBPROCESS_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  child.stdout!.on('data', (d) => (out += d));
  const stdoutEnd = once(child.stdout!, 'end');
  stdoutEnd.catch(() => undefined);
  const exited = once(child, 'exit');
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const urls = await new Promise<{ mockUrl: string; adminUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mockd did not start in 60 s; stderr: ${err}`)), 60_000);
    child.stdout!.on('data', () => {
      const mock = /Mock server: (\S+)/.exec(out);
      const admin = /Admin API: (\S+)/.exec(out);
      if (mock && admin) {
        clearTimeout(timer);
        resolve({ mockUrl: mock[1]!, adminUrl: admin[1]! });
      }
    });
    exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`mockd exited with ${code} before starting; stderr: ${err}`));
    });
  });
  return {
    child,
    ...urls,
    stdout: () => out,
    stderr: () => err,
    async stdoutEnded(ms = 5000) {
      await within(stdoutEnd, "the end of mockd's stdout", ms);
    },
    async stop(signal = 'SIGTERM', ms = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const { code } = await processExit(child, `mockd (pid ${child.pid}) to exit after ${signal}`, ms);
      return code;
    },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a subprocess (`node bin/mockd.js ...`), bounded in time. */
export async function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...SUBPROCESS_ENV, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  return { code: code as number | null, stdout, stderr };
}

/** Resolves when `predicate` holds, polling `probe` every few ms; rejects after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T> | T, predicate: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await probe();
    if (predicate(last)) return last;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
