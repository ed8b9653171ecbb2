// How many members each worker pool gets (`mockd start --workers N|auto`, README "Workers"). Several members can
// serve one port only where the runtime can share it: `listen({ reusePort: true })` on Linux, Node >= 22.12 (or
// >= 23.1). Elsewhere mockd runs one worker per protocol and says so once; it never fails because of the runtime.

import { availableParallelism } from 'node:os';

/** `auto` uses at most this many members per pool. */
export const AUTO_MAX_WORKERS = 8;

export type WorkersOption = number | 'auto';

/** True where several threads can bind one port with reusePort. */
export function canSharePort(version: string = process.versions.node, platform: string = process.platform): boolean {
  if (platform !== 'linux') return false;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

export interface WorkerCount {
  workers: number;
  /** Said once at start when the runtime decided (stderr). */
  note?: string;
}

/** The members per pool for `requested` (undefined = auto). */
export function resolveWorkerCount(
  requested: WorkersOption | undefined,
  runtime: { sharePort: boolean; cores: number } = { sharePort: canSharePort(), cores: availableParallelism() },
): WorkerCount {
  const wanted = requested === undefined || requested === 'auto' ? Math.min(runtime.cores, AUTO_MAX_WORKERS) : requested;
  if (wanted <= 1) return { workers: 1 };
  if (runtime.sharePort) return { workers: wanted };
  return {
    workers: 1,
    note:
      `one worker per protocol: Node ${process.versions.node} on ${process.platform} cannot share a port between ` +
      `threads (reusePort needs Node >= 22.12 on Linux)` + (requested === undefined || requested === 'auto' ? '' : `; --workers ${requested} ignored`),
  };
}
