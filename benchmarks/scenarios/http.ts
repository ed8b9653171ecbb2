// http scenarios (contract §11): keep-alive GETs of a static {"ok":true} mock with 1 and with 1,000 mocks loaded, and
// of a templated mock, against bare node:http serving the same bodies (baselines/http.ts). wrk drives them when it
// is installed, else h2load --h1, else the Node raw-socket generator.

import { findTool } from '../external/tools.ts';
import { runH2load } from '../external/h2load.ts';
import { runWrk } from '../external/wrk.ts';
import { generatorThreads, type MeasureWindow } from '../load/pool.ts';
import { runScenario, type BenchContext } from '../scenario.ts';
import { withSession } from '../session.ts';
import type { BenchResult, Measurement } from '../types.ts';
import { FAULTED_MOCKS, fillerMocks, STATIC_MOCK, TEMPLATE_MOCK } from './http-mocks.ts';
import { servedBy } from '../served.ts';

const UNIT = 'req/s';
const SCENARIOS = {
  one: 'GET static JSON, keep-alive, 1 mock',
  faultsNearby: 'GET static JSON, keep-alive, beside 8 mocks carrying faults',
  proxy: 'GET through an http.proxy mock vs direct to its upstream',
  template: 'GET templated JSON, keep-alive',
  ten: 'GET static JSON, keep-alive, 10 mocks',
  thousand: 'GET static JSON, keep-alive, 1,000 mocks',
  tenThousand: 'GET static JSON, keep-alive, 10,000 mocks',
};

interface HttpGenerator {
  label: string;
  load(url: string, window: MeasureWindow): Promise<Measurement>;
}

function httpGenerator(ctx: BenchContext): HttpGenerator {
  const { connections, generator } = ctx.options;
  const threads = generatorThreads();
  const wrk = generator === 'auto' ? findTool('wrk') : undefined;
  if (wrk) {
    return { label: `wrk ${wrk.version} (${threads} threads)`, load: (url, w) => runWrk({ url, threads, connections }, w) };
  }
  const h2load = generator === 'auto' ? findTool('h2load') : undefined;
  if (h2load) {
    return {
      label: `h2load ${h2load.version} --h1 (${threads} threads)`,
      load: (url, w) => runH2load({ url, threads, clients: connections, streams: 1, http1: true }, w),
    };
  }
  return { label: `node (${ctx.pool.threads} threads)`, load: (url, w) => ctx.pool.run('http', { url }, connections, w) };
}

export async function benchHttp(ctx: BenchContext): Promise<BenchResult[]> {
  const gen = httpGenerator(ctx);
  const scenarios = Object.values(SCENARIOS).map((scenario) => ({ scenario, unit: UNIT }));
  return withSession(ctx, { protocol: 'http', scenarios, generator: gen.label, baseline: 'http.ts' }, async (s) => {
    const mockUrl = s.mockd.info.mockServer!;
    const baseUrl = `http://127.0.0.1:${s.baseline.info.port}`;
    const scenario = (name: string, path: string) =>
      runScenario(ctx, {
        protocol: 'http',
        scenario: name,
        unit: UNIT,
        library: 'node:http',
        generator: gen.label,
        mockd: { target: s.mockd, load: (w) => gen.load(mockUrl + path, w), served: () => servedBy(s.mockd.info.adminApi!, 'http') },
        baseline: { target: s.baseline, load: (w) => gen.load(baseUrl + path, w) },
      });
    const rows: BenchResult[] = [];
    const created = await s.admin.create(STATIC_MOCK).catch((err: Error) => err);
    if (created instanceof Error) return scenarios.map((x) => s.skip(x.scenario, UNIT, `the http mock could not be created: ${created.message}`));
    rows.push(await scenario(SCENARIOS.one, '/bench/static'));

    // The same mock while 8 others carry faults (README "Faults and chaos"): its ratio should match the 1-mock row's.
    const faulted = await s.admin.bulk(FAULTED_MOCKS).catch((err: Error) => err);
    if (faulted instanceof Error) rows.push(s.skip(SCENARIOS.faultsNearby, UNIT, `the faulted mocks could not be created: ${faulted.message}`));
    else {
      const row = await scenario(SCENARIOS.faultsNearby, '/bench/static');
      rows.push({ ...row, note: [row.note, 'compare its ratio with the 1-mock row'].filter(Boolean).join('; ') });
      for (const m of FAULTED_MOCKS) await s.admin.delete(m.id);
    }
    // Issue 21: the baseline process is the proxy's upstream, so the row compares a request through mockd's
    // http.proxy with the same request straight to the upstream (ratio = proxied / direct throughput; the latency a
    // proxy adds is mockd's P50/P99 minus the baseline's).
    const proxy = await s.admin.create({ id: 'bench-proxy', http: { matcher: { pathPattern: '^/proxied/' }, proxy: { upstream: baseUrl, stripPrefix: '/proxied' } } }).catch((err: Error) => err);
    if (proxy instanceof Error) rows.push(s.skip(SCENARIOS.proxy, UNIT, `the proxy mock could not be created: ${proxy.message}`));
    else {
      rows.push(await runScenario(ctx, {
        protocol: 'http',
        scenario: SCENARIOS.proxy,
        unit: UNIT,
        library: 'node:http direct',
        generator: gen.label,
        mockd: { target: s.mockd, load: (w) => gen.load(`${mockUrl}/proxied/bench/static`, w), served: () => servedBy(s.mockd.info.adminApi!, 'http') },
        baseline: { target: s.baseline, load: (w) => gen.load(`${baseUrl}/bench/static`, w) },
      }));
      await s.admin.delete('bench-proxy').catch(() => undefined);
    }

    const template = await s.admin.create(TEMPLATE_MOCK).catch((err: Error) => err);
    if (template instanceof Error) rows.push(s.skip(SCENARIOS.template, UNIT, `the templated mock could not be created: ${template.message}`));
    else rows.push(await scenario(SCENARIOS.template, '/bench/template'));

    // The same static mock with more and more mocks loaded beside it: matching must not slow down as they grow.
    let loaded = template instanceof Error ? 1 : 2;
    for (const [name, total] of [[SCENARIOS.ten, 10], [SCENARIOS.thousand, 1000], [SCENARIOS.tenThousand, 10_000]] as const) {
      const filled = await s.admin.bulk(fillerMocks(total - loaded, loaded)).catch((err: Error) => err);
      if (filled instanceof Error) {
        rows.push(s.skip(name, UNIT, `the ${total.toLocaleString('en')} mocks could not be loaded: ${filled.message}`));
        continue;
      }
      loaded = total;
      rows.push(await scenario(name, '/bench/static'));
    }
    return rows;
  });
}
