// `mockd stop [--pid-file F] [--force] [--timeout 10]`: stops a mockd started with `-d` (or with `--pid-file`), as
// the Go mockd's `stop` does: SIGTERM (SIGKILL with --force) to the PID in the PID file, then waits for it to exit.

import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from '../client.ts';
import { print, printJson } from '../output.ts';
import { intOption, str, type CommandDef } from '../registry.ts';
import { defaultPidFile, readPidFile, removePidFile } from './detach.ts';

/** Whether the process exists and is not a zombie (an exited child nobody reaped yet, e.g. under a bare PID 1). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat is `pid (comm) state …`; comm may contain spaces and parentheses, so read after the last `)`.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

export const stopCommand: CommandDef = {
  path: ['stop'],
  description: 'Stop a mockd started with --detach (reads its PID file)',
  options: [
    ['--pid-file <file>', 'PID file (default ~/.mockd/mockd.pid)'],
    ['-f, --force', 'Send SIGKILL instead of SIGTERM'],
    ['--timeout <s>', 'Seconds to wait for the process to exit (default 10)'],
  ],
  async action(_args, o, { json }) {
    const file = str(o.pidFile) ?? defaultPidFile();
    const { pid } = readPidFile(file);
    const timeoutMs = (intOption(o.timeout, 'timeout') ?? 10) * 1000;
    if (!isRunning(pid)) throw new CliError(`mockd (PID ${pid}) is not running; stale PID file ${file}`, 1);
    process.kill(pid, o.force ? 'SIGKILL' : 'SIGTERM');
    // Another process's exit cannot be awaited as an event, so this polls, bounded by --timeout.
    const deadline = Date.now() + timeoutMs;
    while (isRunning(pid)) {
      if (Date.now() > deadline) throw new CliError(`mockd (PID ${pid}) did not stop within ${timeoutMs / 1000} s; try mockd stop --force`, 1);
      await sleep(50);
    }
    // A SIGKILLed mockd cannot remove its own PID file.
    removePidFile(file, pid);
    if (json) return printJson({ pid, stopped: true });
    print(`Stopped mockd (PID ${pid})`);
  },
};
