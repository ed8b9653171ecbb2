// grpc scenarios (contract §11 + the issue): concurrent unary SayHello (calls/s) and a server stream of 100 messages
// per call (msg/s), against a bare @grpc/grpc-js server with static handlers (baselines/grpc.ts). Unary load comes
// from h2load when it is installed (a grpc-js client would be the bottleneck: one channel tops out near 5k calls/s
// here); the stream load from grpc-js clients spread over several channels per generator thread.

import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { runH2load } from '../external/h2load.ts';
import { findTool } from '../external/tools.ts';
import { generatorThreads, type MeasureWindow } from '../load/pool.ts';
import { runScenario, type BenchContext } from '../scenario.ts';
import { withSession } from '../session.ts';
import type { BenchResult, Measurement } from '../types.ts';

const PROTO = fileURLToPath(new URL('../protos/helloworld.proto', import.meta.url));
const STREAM_MESSAGES = 100;
const REPLY = { message: 'Hello from mockd bench' };
/** HelloRequest{name: "bench"} as a gRPC message: uncompressed flag, 4-byte length, protobuf (field 1, 5 bytes). */
const UNARY_BODY = Buffer.from([0, 0, 0, 0, 7, 0x0a, 5, ...Buffer.from('bench')]);
const STREAMS_PER_CONNECTION = 5;

const GRPC_MOCK = {
  id: 'bench-grpc',
  name: 'bench grpc',
  grpc: {
    port: 0,
    protoFile: PROTO,
    services: {
      'helloworld.Greeter': {
        methods: { SayHello: { response: REPLY }, StreamHellos: { responses: Array.from({ length: STREAM_MESSAGES }, () => REPLY) } },
      },
    },
  },
};

function unaryLoader(ctx: BenchContext): { label: string; load(port: number, w: MeasureWindow): Promise<Measurement> } {
  const { connections } = ctx.options;
  const h2load = ctx.options.generator === 'auto' ? findTool('h2load') : undefined;
  if (!h2load) {
    return { label: `node grpc-js (${ctx.pool.threads} threads)`, load: (port, w) => ctx.pool.run('grpc-unary', { address: `127.0.0.1:${port}` }, connections, w) };
  }
  const threads = generatorThreads();
  const clients = Math.max(Math.min(threads, connections), Math.ceil(connections / STREAMS_PER_CONNECTION));
  const streams = Math.ceil(connections / clients);
  return {
    label: `h2load ${h2load.version} (${threads} threads, ${clients} connections × ${streams} streams)`,
    load: (port, w) =>
      runH2load(
        {
          url: `http://127.0.0.1:${port}/helloworld.Greeter/SayHello`,
          threads,
          clients,
          streams,
          body: UNARY_BODY,
          headers: ['content-type: application/grpc', 'te: trailers'],
        },
        w,
      ),
  };
}

/** One real SayHello: h2load cannot see grpc-status, so a target must prove it answers correctly before it is loaded. */
async function checkSayHello(port: number): Promise<void> {
  const pkg = grpc.loadPackageDefinition(loadSync(PROTO, { keepCase: true, defaults: true })) as any;
  const client = new pkg.helloworld.Greeter(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  try {
    const reply = await new Promise<{ message: string }>((resolve, reject) =>
      client.SayHello({ name: 'bench' }, { deadline: Date.now() + 5000 }, (err: Error | null, r: { message: string }) => (err ? reject(err) : resolve(r))),
    );
    if (reply.message !== REPLY.message) throw new Error(`SayHello answered ${JSON.stringify(reply)}`);
  } finally {
    client.close();
  }
}

export async function benchGrpc(ctx: BenchContext): Promise<BenchResult[]> {
  const { connections } = ctx.options;
  const unary = unaryLoader(ctx);
  const streamGenerator = `node grpc-js (${ctx.pool.threads} threads)`;
  const names = {
    unary: `unary SayHello, ${connections} calls in flight`,
    stream: `server stream, ${STREAM_MESSAGES} msg/call, ${connections} calls in flight`,
  };
  const scenarios = [
    { scenario: names.unary, unit: 'calls/s' },
    { scenario: names.stream, unit: 'msg/s' },
  ];
  const session = { protocol: 'grpc' as const, scenarios, generator: unary.label, baseline: 'grpc.ts', baselineArgs: ['--stream-messages', String(STREAM_MESSAGES)] };
  return withSession(ctx, session, async (s) => {
    const created = await s.admin.create(GRPC_MOCK).catch((err: Error) => err);
    if (created instanceof Error) return scenarios.map((x) => s.skip(x.scenario, x.unit, `the gRPC mock could not be created: ${created.message}`));
    const mockdPort = Number(created.grpc.port);
    const basePort = Number(s.baseline.info.port);
    for (const port of [mockdPort, basePort]) {
      const checked = await checkSayHello(port).catch((err: Error) => err);
      if (checked instanceof Error) return scenarios.map((x) => s.skip(x.scenario, x.unit, `SayHello check failed on port ${port}: ${checked.message}`));
    }
    const stream = (port: number) => (w: MeasureWindow) =>
      ctx.pool.run('grpc-stream', { address: `127.0.0.1:${port}`, streamMessages: STREAM_MESSAGES }, connections, w);
    const common = { protocol: 'grpc' as const, library: '@grpc/grpc-js' };
    return [
      await runScenario(ctx, {
        ...common,
        scenario: names.unary,
        unit: 'calls/s',
        generator: unary.label,
        mockd: { target: s.mockd, load: (w) => unary.load(mockdPort, w) },
        baseline: { target: s.baseline, load: (w) => unary.load(basePort, w) },
      }),
      await runScenario(ctx, {
        ...common,
        scenario: names.stream,
        unit: 'msg/s',
        generator: streamGenerator,
        mockd: { target: s.mockd, load: stream(mockdPort) },
        baseline: { target: s.baseline, load: stream(basePort) },
      }),
    ];
  });
}
