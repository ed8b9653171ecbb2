// Linters and validators for the packaging files are devDependencies run from node_modules/.bin, so `npm ci` gives
// CI every one of them. A checkout installed before they were added skips with a reason; under CI a missing tool fails.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { ROOT } from '../helpers/mockd.ts';
import { nextEvent } from '../helpers/wait.ts';

/** The path of an npm-installed binary, or undefined after marking the test skipped (a failure under CI). */
export function toolOrSkip(t: TestContext, bin: string, pkg: string): string | undefined {
  const path = join(ROOT, 'node_modules', '.bin', bin);
  if (existsSync(path)) return path;
  const message = `${bin} is not installed (devDependency ${pkg}): run \`npm install\` to enable this check`;
  if (process.env.CI) assert.fail(message);
  t.skip(message);
  return undefined;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, killed after `timeoutMs`. */
export async function run(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  const child = spawn(command, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  // The kill above ends it; the bound here only catches a process that even SIGKILL did not stop.
  const [code] = await nextEvent(child, 'close', `${command} ${args.join(' ')} to finish`, timeoutMs + 10_000);
  clearTimeout(timer);
  return { code: code as number | null, stdout, stderr };
}
