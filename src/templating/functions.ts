// The built-in functions of §3.3, keyed by lowercase name. A bare name (`{{uuid}}`) is a call with no arguments.
// A function returns `undefined` for arguments it cannot use, which renders "" (templating never fails a request).
import { randomUUID } from 'node:crypto';
import { FAKER_FUNCTIONS } from './faker.ts';
import { toNumber, toText } from './values.ts';

export type BuiltinFunction = (args: readonly unknown[]) => unknown;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Bounds `random.string(n)` so a typo such as 1e9 cannot stall the worker or exhaust its memory.
const MAX_RANDOM_STRING = 65536;

/** Positional numeric arguments: a missing one takes its default, one that is not a number makes the call fail. */
function numericArgs(args: readonly unknown[], defaults: readonly number[]): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < defaults.length; i++) {
    const n = i < args.length ? toNumber(args[i]) : defaults[i]!;
    if (!Number.isFinite(n)) return undefined;
    out.push(n);
  }
  return out;
}

function randomInt(args: readonly unknown[]): number | undefined {
  const bounds = numericArgs(args, [0, 100]);
  if (bounds === undefined) return undefined;
  const lo = Math.ceil(Math.min(bounds[0]!, bounds[1]!));
  const hi = Math.floor(Math.max(bounds[0]!, bounds[1]!));
  if (lo > hi) return undefined;
  return lo + Math.floor(Math.random() * (hi - lo + 1));
}

function randomFloat(args: readonly unknown[]): number | undefined {
  const bounds = numericArgs(args, [0, 1]);
  if (bounds === undefined) return undefined;
  const lo = Math.min(bounds[0]!, bounds[1]!);
  return lo + Math.random() * (Math.max(bounds[0]!, bounds[1]!) - lo);
}

function randomString(args: readonly unknown[]): string | undefined {
  const length = numericArgs(args, [10])?.[0];
  if (length === undefined || length < 0) return undefined;
  const n = Math.min(Math.floor(length), MAX_RANDOM_STRING);
  let text = '';
  for (let i = 0; i < n; i++) text += ALPHANUMERIC[Math.floor(Math.random() * ALPHANUMERIC.length)];
  return text;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

// Per-process (per worker thread) counters: `sequence("orders", 100)` gives 100, 101, 102, … across all mocks.
const sequences = new Map<string, number>();

function nextInSequence(args: readonly unknown[]): number {
  const name = toText(args[0]);
  const current = sequences.get(name);
  if (current !== undefined) {
    sequences.set(name, current + 1);
    return current;
  }
  const start = args.length > 1 ? toNumber(args[1]) : 1;
  const first = Number.isFinite(start) ? start : 1;
  sequences.set(name, first + 1);
  return first;
}

function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export const BUILTIN_FUNCTIONS: ReadonlyMap<string, BuiltinFunction> = new Map<string, BuiltinFunction>(
  Object.entries({
    // RFC 3339 to the second: ISO 8601 with the milliseconds dropped.
    now: () => new Date().toISOString().slice(0, 19) + 'Z',
    timestamp: unixSeconds,
    'timestamp.unix': unixSeconds,
    'timestamp.unix_ms': () => Date.now(),
    'timestamp.iso': () => new Date().toISOString(),
    uuid: () => randomUUID(),
    'uuid.short': () => randomUUID().slice(0, 8),
    'random.int': randomInt,
    'random.float': randomFloat,
    'random.string': randomString,
    'random.element': (args) => (args.length === 0 ? undefined : args[Math.floor(Math.random() * args.length)]),
    upper: (args) => toText(args[0]).toUpperCase(),
    lower: (args) => toText(args[0]).toLowerCase(),
    default: (args) => (isEmpty(args[0]) ? args[1] : args[0]),
    sequence: nextInSequence,
    ...FAKER_FUNCTIONS,
  }),
);
