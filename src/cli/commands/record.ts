// `mockd record …` and `mockd snapshot` (issue 21): create a proxy mock in front of a real service, then turn what
// passed through it (or any journaled traffic) into mocks.

import { resolve } from 'node:path';
import { print, printJson, table } from '../output.ts';
import { intOption, str, toArray, UsageError, type CommandContext, type CommandDef } from '../registry.ts';

interface SnapshotAnswer {
  dryRun: boolean;
  entries: number;
  mocks: { id?: string; type: string; name?: string }[];
  created: number;
  failedIds: string[];
  warnings: string[];
  stopped: string[];
}

/** `original`, `none`, or a speed: `2x` and `2` both play twice as fast. */
function parseTimingFlag(value: unknown): string | number | undefined {
  const raw = str(value);
  if (raw === undefined) return undefined;
  if (raw === 'original' || raw === 'none') return raw;
  const n = Number(raw.replace(/x$/i, ''));
  if (!Number.isFinite(n) || n <= 0) throw new UsageError('--timing must be original, none or a speed like 2x');
  return n;
}

function printSnapshot(answer: SnapshotAnswer): void {
  for (const id of answer.stopped) print(`Stopped recording: ${id}`);
  const verb = answer.dryRun ? 'Would create' : 'Created';
  print(`${verb} ${answer.dryRun ? answer.mocks.length : answer.created} mock(s) from ${answer.entries} journal entr${answer.entries === 1 ? 'y' : 'ies'}`);
  if (answer.mocks.length > 0) print(table(['ID', 'TYPE', 'NAME'], answer.mocks.map((m) => [m.id ?? '-', m.type, m.name ?? ''])));
  for (const w of answer.warnings) process.stderr.write(`Warning: ${w}\n`);
}

/** `http://127.0.0.1:<mock port>` as the admin API's host sees it. */
async function mockBase(ctx: CommandContext): Promise<string> {
  const { ports } = await ctx.client.get<{ ports: { port: number; component: string }[] }>('/ports');
  const port = ports.find((p) => p.component === 'mock-server')?.port;
  return `http://${new URL(ctx.client.url).hostname}:${port}`;
}

function proxyMockOf(kind: string, o: Record<string, any>): Record<string, unknown> {
  const upstream = str(o.upstream);
  if (!upstream) throw new UsageError('--upstream is required');
  const path = str(o.path) ?? '/';
  if (!path.startsWith('/')) throw new UsageError('--path must start with /');
  const port = intOption(o.port, 'port') ?? 0;
  const id = str(o.id);
  const envelope = { ...(id && { id }), name: `record ${kind} ${upstream}` };
  switch (kind) {
    case 'http':
    case 'sse':
      return { ...envelope, http: { matcher: { path: `${path.replace(/\/$/, '')}/*` }, proxy: { upstream } } };
    case 'websocket':
      return { ...envelope, websocket: { path, proxy: { upstream } } };
    case 'mqtt': {
      const topics = toArray(o.topic);
      return { ...envelope, mqtt: { port, proxy: { upstream, topics: topics.length > 0 ? topics : ['#'] } } };
    }
    case 'grpc': {
      // Proto paths are the CLI user's: made absolute here, since mockd resolves relative ones against its own directory.
      const protos = toArray(o.proto).map((f) => resolve(f));
      if (protos.length === 0) throw new UsageError('--proto is required for grpc');
      return { ...envelope, grpc: { port, protoFiles: protos, proxy: { upstream } } };
    }
  }
  throw new UsageError(`unknown protocol ${kind}`);
}

function recordCommand(kind: string): CommandDef {
  return {
    path: ['record', kind],
    description: `Create a ${kind} proxy mock that records the traffic to --upstream`,
    options: [
      ['--upstream <url>', 'The real service (http://, ws://, mqtt://, host:port for gRPC)'],
      ['--path <path>', 'Path served by the proxy (http, sse, websocket; default /)'],
      ['--port <port>', 'Port of the proxy broker or server (mqtt, grpc; default 0 = any free port)'],
      ['--proto <file>', 'Proto file of the gRPC service (repeatable)'],
      ['--topic <filter>', 'MQTT topic filter to bridge (repeatable; default #)'],
      ['--id <id>', 'Id of the proxy mock'],
    ],
    async action(_args, o, ctx) {
      const spec = proxyMockOf(kind, o);
      const created = await ctx.client.post<{ mock: Record<string, any> }>('/mocks', spec);
      if (ctx.json) return printJson(created);
      const mock = created.mock;
      let where: string;
      if (mock.type === 'mqtt') where = `mqtt://${new URL(ctx.client.url).hostname}:${mock.mqtt.port}`;
      else if (mock.type === 'grpc') where = `${new URL(ctx.client.url).hostname}:${mock.grpc.port}`;
      else {
        const base = await mockBase(ctx);
        where = mock.type === 'websocket' ? `${base.replace(/^http/, 'ws')}${mock.websocket.path}` : `${base}${str(o.path) ?? '/'}`;
      }
      print(`Recording ${kind} through mock: ${mock.id}`);
      print(`  Upstream: ${str(o.upstream)}`);
      print(`  Point clients at: ${where}`);
      print(`  Stop with: mockd record stop ${mock.id} --snapshot`);
    },
  };
}

const stop: CommandDef = {
  path: ['record', 'stop'],
  args: '<id>',
  description: 'Stop a recording proxy; with --snapshot, turn its traffic into mocks first',
  options: [
    ['--snapshot', 'Snapshot the proxy traffic into mocks, then delete the proxy'],
    ['--timing <timing>', 'original (default), none, or a speed like 2x'],
  ],
  async action([id], o, ctx) {
    if (!o.snapshot) {
      await ctx.client.delete(`/mocks/${encodeURIComponent(id!)}`);
      return ctx.json ? printJson({ id, stopped: true }) : print(`Stopped recording: ${id}`);
    }
    const timing = parseTimingFlag(o.timing);
    const answer = await ctx.client.post<SnapshotAnswer>('/recordings/snapshot', { filter: { mockId: id }, ...(timing !== undefined && { timing }), stopProxies: true });
    if (ctx.json) return printJson(answer);
    if (!answer.stopped.includes(id!)) {
      await ctx.client.delete(`/mocks/${encodeURIComponent(id!)}`);
      answer.stopped.push(id!);
    }
    printSnapshot(answer);
  },
};

const snapshot: CommandDef = {
  path: ['snapshot'],
  description: 'Turn journaled traffic into mocks',
  options: [
    ['--mock <id>', 'Only the traffic of this mock'],
    ['--protocol <protocol>', 'Only this protocol (http, sse, websocket, mqtt, grpc)'],
    ['--timing <timing>', 'original (default), none, or a speed like 2x'],
    ['--dry-run', 'Print the mocks without creating them'],
  ],
  async action(_args, o, ctx) {
    const filter: Record<string, string> = {};
    if (str(o.mock)) filter.mockId = str(o.mock)!;
    if (str(o.protocol)) filter.protocol = str(o.protocol) === 'ws' ? 'websocket' : str(o.protocol)!;
    const timing = parseTimingFlag(o.timing);
    const answer = await ctx.client.post<SnapshotAnswer>('/recordings/snapshot', { filter, ...(timing !== undefined && { timing }), dryRun: Boolean(o.dryRun) });
    if (ctx.json) return printJson(answer);
    printSnapshot(answer);
  },
};

export const recordCommands: CommandDef[] = [...['http', 'sse', 'websocket', 'mqtt', 'grpc'].map(recordCommand), stop, snapshot];
