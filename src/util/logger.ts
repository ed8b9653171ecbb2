// mockd's logs (issue 23), written with pino on stderr in both threads. `json`: one JSON object a line, in the shape
// the Go mockd's `--log-format json` (log/slog) writes (`time`, `level` in capitals, `msg`) plus fields such as
// `worker`. `text`: `[mockd] info: message`, with `[http-2]` after the level on a worker's lines.

import { createRequire } from 'node:module';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

// pino is loaded on the first logger a thread creates, not at import: a worker that never logs (the usual case) does
// not pay for loading it on every start and restart.
const requireModule = createRequire(import.meta.url);
const loadPino = (): typeof import('pino') => requireModule('pino') as typeof import('pino');

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

export interface LogOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Fields on every line (a worker's `worker`). */
  bindings?: Record<string, string>;
}

/** pino writes each line as JSON; the text format turns it back into one readable line. */
function textDestination(): DestinationStream {
  return {
    write(line: string) {
      const { time: _t, level, msg, worker, ...rest } = JSON.parse(line) as Record<string, unknown>;
      const where = worker ? `[${String(worker)}] ` : '';
      const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
      process.stderr.write(`[mockd] ${String(level).toLowerCase()}: ${where}${String(msg ?? '')}${extra}\n`);
    },
  };
}

function jsonDestination(): DestinationStream {
  return { write: (line: string) => void process.stderr.write(line) };
}

export function createPinoLogger(options: LogOptions = {}): PinoLogger {
  const { pino } = loadPino();
  return pino(
    {
      level: options.level ?? 'info',
      base: options.bindings ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label.toUpperCase() }) },
    },
    options.format === 'json' ? jsonDestination() : textDestination(),
  );
}

let threadLogger: PinoLogger | undefined;
let threadOptions: LogOptions = {};

/** This thread's logger, created on its first line: a worker sets its options from its HostOptions (text at info
 * until then). */
export function threadLog(): PinoLogger {
  return (threadLogger ??= createPinoLogger(threadOptions));
}

export function useThreadLogger(options: LogOptions): void {
  threadOptions = options;
  threadLogger = undefined;
}
