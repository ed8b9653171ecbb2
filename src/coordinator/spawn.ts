// Starting a worker thread from a .ts or a built .js entry.
// tsx does not register inside worker_threads on Node 20 (`execArgv: ['--import','tsx']` fails with
// ERR_UNKNOWN_FILE_EXTENSION), so in dev a small eval bootstrap registers tsx in the worker, then imports the entry.
// After the build the entry is plain JS and is started directly.

import { Worker, type WorkerOptions } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RUNNING_TS = import.meta.url.endsWith('.ts');

/** The entry file of a worker or piscina task, `.ts` in dev and `.js` after the build, relative to the project root. */
export function resolveEntry(relativeWithoutExt: string): string {
  const root = new URL(RUNNING_TS ? '../../' : '../../', import.meta.url);
  const path = fileURLToPath(new URL(`${relativeWithoutExt}.${RUNNING_TS ? 'ts' : 'js'}`, root));
  if (!existsSync(path)) throw new Error(`worker entry not found: ${path}`);
  return path;
}

/**
 * tsx's register API as an absolute URL, resolved from this module. An eval'd worker resolves bare specifiers from
 * the process's working directory, so `import('tsx/esm/api')` there fails when mockd runs from another folder.
 */
const TSX_API = RUNNING_TS ? import.meta.resolve('tsx/esm/api') : '';

/** A bootstrap for entries that need tsx (piscina task files need a file path, so they get one too). */
export function tsxBootstrap(entryPath: string): string {
  return [
    `const { register } = await import(${JSON.stringify(TSX_API)});`,
    `register();`,
    `await import(${JSON.stringify(pathToFileURL(entryPath).href)});`,
  ].join('\n');
}

export function spawnWorker(entryPath: string, options: WorkerOptions): Worker {
  if (entryPath.endsWith('.ts')) {
    return new Worker(tsxBootstrap(entryPath), { ...options, eval: true });
  }
  return new Worker(entryPath, options);
}
