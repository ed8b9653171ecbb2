// Reading `/metrics` in tests: the Prometheus text parsed with a real parser (parse-prometheus-text-format), and the
// sum of one family's samples whose labels include the given ones. That parser folds a histogram's series into one
// sample, dropping their labels; so the text is parsed a second time with the histogram TYPE lines left out, which
// makes each `_bucket`, `_sum` and `_count` series a family of its own, labels kept.

import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { fetchWithTimeout } from './wait.ts';

export type Families = ReturnType<typeof parsePrometheusTextFormat>;

export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Families> {
  const res = await fetchWithTimeout(url, { headers });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return parseMetrics(await res.text());
}

export function parseMetrics(text: string): Families {
  const families = parsePrometheusTextFormat(text);
  const untyped = text.split('\n').filter((l) => !/^# TYPE \S+ histogram$/.test(l)).join('\n');
  const series = parsePrometheusTextFormat(untyped).filter((f) => /_(bucket|sum|count)$/.test(f.name) && f.type === 'UNTYPED');
  return [...families, ...series];
}

/** The sum of the samples of `name` whose labels include `labels` (0 when there are none). */
export function valueOf(families: Families, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const m of families.filter((f) => f.name === name).flatMap((f) => f.metrics)) {
    if (Object.entries(labels).every(([k, v]) => (m.labels?.[k] ?? '') === v)) sum += Number(m.value ?? m.count ?? 0);
  }
  return sum;
}

export function familyOf(families: Families, name: string): Families[number] | undefined {
  return families.find((f) => f.name === name);
}
