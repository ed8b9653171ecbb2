// The CLI's command table. cac has no nested commands, so a multi-word command (`websocket connections list`) is
// registered under one name (`websocket:connections:list`) and main.ts collapses the words in argv before parsing.

import type { AdminClient, GlobalOptions } from './client.ts';

export type OptionSpec = [flags: string, description: string, config?: { default?: unknown }];

export interface CommandContext {
  client: AdminClient;
  global: GlobalOptions;
  json: boolean;
}

export interface CommandDef {
  /** Words of the command, e.g. ['websocket', 'connections', 'send']. */
  path: string[];
  /** cac argument spec, e.g. '<id> <message>'. */
  args?: string;
  description: string;
  options?: OptionSpec[];
  /** Let unknown flags through to the action, which checks them itself (`start` accepts the Go mockd's flags). */
  allowUnknownOptions?: boolean;
  action(args: string[], options: Record<string, any>, ctx: CommandContext): Promise<void>;
}

/** Words that mean the same as another word at any position. */
export const WORD_ALIASES: Record<string, string> = { ws: 'websocket', ls: 'list' };

export function commandName(path: string[]): string {
  return path.join(':');
}

/** Values of a repeatable option: cac gives a string once and an array when repeated. */
export function toArray(value: unknown): string[] {
  if (value === undefined || value === null || value === false) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

/** Option values as strings (cac turns numeric-looking values into numbers). */
export function str(value: unknown): string | undefined {
  return value === undefined || value === null || value === true ? undefined : String(value);
}

export function intOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer`);
  return n;
}

export class UsageError extends Error {}
