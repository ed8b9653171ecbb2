// `mockd top` (alias `mockd stats`, issue 23): a live view of what mockd serves, refreshed every second from
// `/metrics` (rates, latency, connections, errors, busiest mocks) and `/events` (the latest connection events).
// `--once` prints one view and exits; with `--json` it is the TopView object, whose totals are `/metrics`'s.
// `mockd websocket stats` and the other groups' `stats` are longer commands and keep their meaning.

import { summarizeMetrics, type MetricsSummary } from '../../contract/metrics-summary.ts';
import { snapshotFromText } from '../metrics-text.ts';
import { buildTopView, renderTopView } from '../top-view.ts';
import { print, printJson } from '../output.ts';
import { intOption, UsageError, type CommandContext, type CommandDef, type OptionSpec } from '../registry.ts';

const OPTIONS: OptionSpec[] = [
  ['--once', 'Print one view and exit (two scrapes an interval apart, for the rates)'],
  ['--interval <s>', 'Seconds between refreshes (default 1)'],
  ['--mocks <n>', 'How many of the busiest mocks to show (default 5)'],
];

const MAX_EVENTS = 5;

async function scrape(ctx: CommandContext): Promise<MetricsSummary> {
  const text = await ctx.client.get<string>('/metrics');
  return summarizeMetrics(snapshotFromText(String(text)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Follows `/events` for the latest connection and mock events; stops when `signal` aborts. */
async function followEvents(ctx: CommandContext, into: string[], signal: AbortSignal): Promise<void> {
  const headers: Record<string, string> = {};
  const key = ctx.global.apiKey ?? process.env.MOCKD_API_KEY;
  if (key) headers['x-api-key'] = key;
  try {
    const res = await fetch(`${ctx.client.url}/events`, { headers, signal });
    if (!res.ok || !res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: ?(.+)$/m.exec(block)?.[1];
        const data = /^data: ?(.+)$/m.exec(block)?.[1];
        if (!type || !data || type === 'stats') continue;
        const d = JSON.parse(data) as { protocol?: string; id?: string; mockId?: string; reason?: string; mock?: { id: string } };
        const what = type.startsWith('connection.') ? `${d.protocol} ${d.id} (${d.mockId})${d.reason ? ` ${d.reason}` : ''}` : (d.mock?.id ?? d.id ?? '');
        into.unshift(`${new Date().toISOString().slice(11, 19)} ${type} ${what}`);
        into.length = Math.min(into.length, MAX_EVENTS);
      }
    }
  } catch {
    // The view goes on without events (an old mockd, or the stream was cut); `/metrics` still feeds it.
  }
}

async function action(_args: string[], o: Record<string, any>, ctx: CommandContext): Promise<void> {
  const interval = intOption(o.interval, 'interval') ?? 1;
  if (interval < 1) throw new UsageError('--interval must be at least 1 second');
  const mocks = intOption(o.mocks, 'mocks') ?? 5;
  if (mocks < 0) throw new UsageError('--mocks must be 0 or more');
  let previous = await scrape(ctx);
  let previousAt = Date.now();
  if (o.once) {
    await sleep(interval * 1000);
    const current = await scrape(ctx);
    const view = buildTopView(previous, current, (Date.now() - previousAt) / 1000, mocks);
    if (ctx.json) return printJson(view);
    return print(renderTopView(view, ctx.client.url, []));
  }
  const events: string[] = [];
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  void followEvents(ctx, events, stop.signal);
  while (!stop.signal.aborted) {
    await sleep(interval * 1000);
    if (stop.signal.aborted) break;
    const current = await scrape(ctx);
    const now = Date.now();
    const view = buildTopView(previous, current, (now - previousAt) / 1000, mocks);
    previous = current;
    previousAt = now;
    if (ctx.json) process.stdout.write(`${JSON.stringify(view)}\n`);
    else process.stdout.write(`${process.stdout.isTTY ? '\x1b[2J\x1b[H' : ''}${renderTopView(view, ctx.client.url, events)}\n`);
  }
}

export const topCommands: CommandDef[] = [
  { path: ['top'], description: 'Live view of rates, latency, connections and errors per protocol', options: OPTIONS, action },
  { path: ['stats'], description: 'Same as top', options: OPTIONS, action },
];
