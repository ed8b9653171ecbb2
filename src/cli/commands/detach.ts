// `mockd start -d` / `serve -d` (the Go mockd's daemon mode): the command starts itself again as a detached child
// with the same flags, waits until the child's listeners are bound, prints where it runs and exits 0. The child's
// stdout and stderr go to `daemon.log` beside the PID file; the PID file (Go mockd shape, plus the two URLs) is
// written by the child once it is up and removed when it shuts down.

import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CliError } from '../client.ts';
import { buildInfo } from '../../util/package-info.ts';

const READY_TIMEOUT_MS = 30_000;
/** Set in the child's environment so that it reports readiness over IPC and does not detach again. */
export const DETACHED_CHILD_ENV = 'MOCKD_DETACHED_CHILD';

export function defaultPidFile(): string {
  return join(homedir(), '.mockd', 'mockd.pid');
}

export interface ReadyMessage {
  type: 'mockd:ready';
  pid: number;
  mockUrl: string;
  adminUrl: string;
  /** `--https-port` (README "TLS"). */
  httpsUrl?: string;
}

/** argv without `-d`/`--detach` and `--pid-file`, so the child runs in the foreground of its own session. */
function withoutDetach(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-d' || a === '--detach' || a.startsWith('--detach=') || a.startsWith('--pid-file=')) continue;
    // The child gets the resolved PID file path once, below.
    if (a === '--pid-file') {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

function tail(file: string, lines = 5): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Starts the detached child and resolves with its URLs once it is ready; rejects (exit 1) if it fails first. */
export async function startDetached(argv: string[], pidFile: string): Promise<ReadyMessage> {
  const logFile = join(dirname(pidFile), 'daemon.log');
  mkdirSync(dirname(pidFile), { recursive: true });
  const log = openSync(logFile, 'w');
  const args = [...withoutDetach(argv), '--pid-file', pidFile];
  const child = spawn(process.execPath, [process.argv[1]!, ...args], {
    detached: true,
    stdio: ['ignore', log, log, 'ipc'],
    env: { ...process.env, [DETACHED_CHILD_ENV]: '1' },
  });
  closeSync(log);
  try {
    return await new Promise<ReadyMessage>((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGTERM');
        reject(new CliError(`mockd did not start within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`, 1));
      }, READY_TIMEOUT_MS);
      child.on('message', (m: ReadyMessage) => {
        if (m?.type !== 'mockd:ready') return;
        clearTimeout(timer);
        resolvePromise(m);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        const detail = tail(logFile);
        reject(new CliError(`mockd exited with code ${code} while starting in the background${detail ? `:\n${detail}` : ''}`, 1));
      });
    });
  } finally {
    child.removeAllListeners('exit');
    if (child.connected) child.disconnect();
    child.unref();
  }
}

/** In the detached child: tells the waiting parent where mockd runs, then lets go of the IPC channel. */
export function reportReadyToParent(ready: Omit<ReadyMessage, 'type'>): void {
  if (process.env[DETACHED_CHILD_ENV] !== '1' || !process.send) return;
  process.send({ type: 'mockd:ready', ...ready } satisfies ReadyMessage, () => process.disconnect?.());
}

export interface PidFileInfo {
  pid: number;
  mockUrl: string;
  adminUrl: string;
  host: string;
  mockPort: number;
  adminPort: number;
  config?: string;
  mocksLoaded: number;
}

/** Writes the PID file atomically, in the Go mockd's shape (`pid`, `startTime`, `components`, `config`). */
export function writePidFile(path: string, info: PidFileInfo): void {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const body = {
    pid: info.pid,
    startTime: new Date().toISOString(),
    version: buildInfo().version,
    components: {
      admin: { enabled: true, port: info.adminPort, host: info.host },
      engine: { enabled: true, port: info.mockPort, host: info.host },
    },
    config: { ...(info.config ? { file: info.config } : {}), mocksLoaded: info.mocksLoaded },
    mockServer: info.mockUrl,
    adminApi: info.adminUrl,
  };
  writeFileSync(`${file}.tmp`, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Removes the PID file if it still names this process (a newer mockd may have replaced it). */
export function removePidFile(path: string, pid = process.pid): void {
  try {
    if (JSON.parse(readFileSync(path, 'utf8')).pid === pid) rmSync(path, { force: true });
  } catch {
    // already gone or not ours
  }
}

export function readPidFile(path: string): { pid: number; mockServer?: string; adminApi?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new CliError(`no running mockd found: cannot read PID file ${path}`, 1);
  }
  const pid = (parsed as { pid?: unknown }).pid;
  if (!Number.isInteger(pid)) throw new CliError(`PID file ${path} has no pid`, 1);
  return parsed as { pid: number };
}
