// The `metrics` events of `/events?metrics=true` (issue 23): once a second, the per-protocol and per-mock summary of
// the counters (src/contract/metrics-summary.ts), gathered as a scrape gathers them. Only streams that ask get them,
// so a dashboard that is closed costs the workers nothing.

import type { Coordinator } from '../coordinator/coordinator.ts';
import { summarizeMetrics, type MetricsSummary } from '../contract/metrics-summary.ts';

export const METRICS_EVENT_INTERVAL_MS = 1000;

export type MetricsEvent = MetricsSummary & { time: string };

/** Sends a summary now and then every second; returns the function that stops it. */
export function sendMetricsEvery(c: Coordinator, send: (event: MetricsEvent) => void): () => void {
  let stopped = false;
  let busy = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const summary = summarizeMetrics(await c.metrics());
      if (!stopped) send({ time: new Date().toISOString(), ...summary });
    } catch {
      // A scrape that fails (workers restarting) skips a beat; the next one tries again.
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), METRICS_EVENT_INTERVAL_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
