// What every baseline script shares: announce the bound port(s) on stdout for benchmarks/targets.ts, and stop on
// SIGTERM/SIGINT the way mockd does (close, then exit 0), so both sides of a benchmark are started and stopped alike.

/** Prints the line targets.ts waits for; values are strings so the parent can read them as such. */
export function announceReady(info: Record<string, string | number>): void {
  const values = Object.fromEntries(Object.entries(info).map(([k, v]) => [k, String(v)]));
  process.stdout.write(`BASELINE_READY ${JSON.stringify(values)}\n`);
}

export function onShutdown(close: () => Promise<unknown> | unknown): void {
  const stop = () => {
    setTimeout(() => process.exit(0), 3000).unref();
    Promise.resolve()
      .then(close)
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/** The value after `--name` in argv, or the fallback. */
export function argValue(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
