// Types of script-task.mjs, the piscina task file of the response-script pool.
import type { SandboxOutcome } from './script-sandbox.d.mts';

export interface ScriptTask {
  /** Which cached sandbox to use: the mock id. The sandbox is rebuilt when `source` differs from the cached one. */
  key: string;
  /** The script: the body of `async function (request) { … }` (contract §3.4). */
  source: string;
  /** The request object as JSON text. */
  input: string;
  /** Wall-clock deadline (`Date.now()` ms) past which the script counts as timed out. */
  deadline: number;
}

export default function runScriptTask(task: ScriptTask): SandboxOutcome;
