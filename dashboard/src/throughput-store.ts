// The throughput and latency charts' data (issue 23): `/events?metrics=true` sends a cumulative summary of the
// counters once a second; each new one minus the one before gives a point per protocol (operations a second, p50 and
// p99 of what was answered in that second). The last minute is kept.

import { SUMMARY_PROTOCOLS, quantileOf, summaryDelta, type MetricsSummary } from '../../src/contract/metrics-summary.ts';
import type { MetricsProtocol } from '../../src/contract/metrics.ts';
import { Observable } from './observable.ts';

export interface ChartPoint {
  /** ms since epoch */
  t: number;
  /** Requests and messages a second. */
  rate: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export type ChartSeries = Record<MetricsProtocol, ChartPoint[]>;

export const CHART_POINTS = 60;

const emptySeries = (): ChartSeries => Object.fromEntries(SUMMARY_PROTOCOLS.map((p) => [p, []])) as unknown as ChartSeries;
const ms = (s: number | undefined) => (s === undefined ? null : Math.round(s * 1e5) / 100);

export class ThroughputStore extends Observable<ChartSeries> {
  #previous?: { t: number; summary: MetricsSummary };

  constructor() {
    super(emptySeries());
  }

  /** One `metrics` event. */
  add(event: MetricsSummary & { time: string }): void {
    const t = Date.parse(event.time);
    const previous = this.#previous;
    this.#previous = { t, summary: event };
    if (!previous || t <= previous.t) return;
    const seconds = (t - previous.t) / 1000;
    const delta = summaryDelta(previous.summary, event);
    const next = {} as ChartSeries;
    for (const p of SUMMARY_PROTOCOLS) {
      const d = delta.protocols[p];
      const point: ChartPoint = {
        t,
        rate: Math.round(((d.requests + d.messages) / seconds) * 10) / 10,
        p50Ms: ms(quantileOf(d.latency.buckets, 0.5)),
        p99Ms: ms(quantileOf(d.latency.buckets, 0.99)),
      };
      next[p] = [...this.value[p], point].slice(-CHART_POINTS);
    }
    this.set(next);
  }

  reset(): void {
    this.#previous = undefined;
    this.set(emptySeries());
  }
}
