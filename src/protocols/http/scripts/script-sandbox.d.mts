// Types of script-sandbox.mjs (plain JavaScript, see there why).

/** What one run of a script gives: its result, its error, or how it failed to finish. */
export type SandboxOutcome =
  | {
      kind: 'result';
      statusCode?: number;
      /** Header pairs in the script's order, values as strings. */
      headers?: [string, string][];
      /** The body to send: the script's string, or its value as compact JSON (`bodyIsJson`). */
      body?: string;
      bodyIsJson?: boolean;
    }
  | { kind: 'error'; message: string }
  /** The vm timeout interrupted the script (a busy loop, sync or after an await). */
  | { kind: 'timeout' }
  /** The script's promise will never settle: no job was left to run and it was still pending. */
  | { kind: 'pending' };

export interface Sandbox {
  /** Runs the script once with `input` (the request as JSON text), bounded by `timeoutMs` of CPU-bound work. */
  run(input: string, timeoutMs: number): SandboxOutcome;
}

export function createSandbox(source: string): Sandbox;
