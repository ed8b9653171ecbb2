// A small throughput and latency chart per protocol (issue 23), fed by the `metrics` events of `/events`: the
// operations a second as a line over the last minute, with the latest rate and the p50/p99 of the last second.

import { useObservable } from '../observable.ts';
import { SUMMARY_PROTOCOLS } from '../../../src/contract/metrics-summary.ts';
import { CHART_POINTS, type ChartPoint, type ThroughputStore } from '../throughput-store.ts';

const WIDTH = 160;
const HEIGHT = 36;

function pathOf(points: ChartPoint[], value: (p: ChartPoint) => number): string {
  const max = Math.max(1, ...points.map(value));
  const step = WIDTH / (CHART_POINTS - 1);
  const offset = (CHART_POINTS - points.length) * step;
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${(offset + i * step).toFixed(1)},${(HEIGHT - (value(p) / max) * (HEIGHT - 2) - 1).toFixed(1)}`).join(' ');
}

const fmt = (v: number | null) => (v === null ? '-' : String(v));

export function ThroughputCharts({ store }: { store: ThroughputStore }) {
  const series = useObservable(store);
  return (
    <section class="charts" aria-label="Throughput and latency">
      {SUMMARY_PROTOCOLS.map((p) => {
        const points = series[p];
        const last = points[points.length - 1];
        return (
          <figure class="chart" data-chart={p} key={p}>
            <figcaption>{p}</figcaption>
            <svg width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={`${p} operations a second`}>
              {points.length > 1 && <path class="rate" d={pathOf(points, (x) => x.rate)} />}
              {points.length > 1 && <path class="p99" d={pathOf(points, (x) => x.p99Ms ?? 0)} />}
            </svg>
            <dl>
              <div><dt>ops/s</dt><dd data-chart-rate>{last ? last.rate : 0}</dd></div>
              <div><dt>p50</dt><dd data-chart-p50>{fmt(last?.p50Ms ?? null)} ms</dd></div>
              <div><dt>p99</dt><dd data-chart-p99>{fmt(last?.p99Ms ?? null)} ms</dd></div>
            </dl>
          </figure>
        );
      })}
    </section>
  );
}
