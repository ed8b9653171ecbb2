// `mockd logs`, `mockd logs clear` and `mockd verify` (contract §12): the journal from the command line.

import type { JournalEntry } from '../../journal/types.ts';
import { CliError } from '../client.ts';
import { print, printJson, table } from '../output.ts';
import { intOption, str, UsageError, type CommandDef } from '../registry.ts';

function time(iso: string): string {
  return iso.slice(11, 23);
}

function quote(text: string, max = 40): string {
  const t = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return JSON.stringify(t);
}

/** `GET /x → 200`, `ws ws-4 in text "hello"`, `mqtt sensor-7 in a/b qos1`, `grpc /pkg.Svc/M OK`. */
export function summary(e: JournalEntry): string {
  if (e.http) return `${e.http.method} ${e.http.path} → ${e.http.statusCode}`;
  if (e.websocket) return `ws ${e.websocket.connectionId} ${e.websocket.direction} ${e.websocket.messageType} ${quote(e.websocket.data)}`;
  if (e.sse) {
    const s = e.sse;
    return s.kind === 'open' ? `sse ${s.connectionId} open` : `sse ${s.connectionId} event ${s.eventType ?? 'message'} ${quote(s.data ?? '')}`;
  }
  if (e.mqtt) return `mqtt ${e.mqtt.clientId} ${e.mqtt.direction} ${e.mqtt.topic} qos${e.mqtt.qos}`;
  if (e.grpc) {
    const g = e.grpc;
    if (g.kind === 'message') return `grpc ${g.method} ${g.streamId ?? ''} ${g.direction ?? ''} message`.replace(/\s+/g, ' ');
    return `grpc ${g.method} ${GRPC_CODE_NAMES[g.statusCode ?? 0] ?? g.statusCode}`;
  }
  return e.protocol;
}

const GRPC_CODE_NAMES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL',
  'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

function row(e: JournalEntry): string[] {
  return [time(e.timestamp), e.protocol, e.mockId ?? '-', summary(e)];
}

function filterQuery(o: Record<string, any>): URLSearchParams {
  const q = new URLSearchParams();
  if (str(o.protocol)) q.set('protocol', str(o.protocol)!);
  if (str(o.mock)) q.set('mockId', str(o.mock)!);
  if (o.unmatched) q.set('matched', 'false');
  return q;
}

const HEADERS = ['TIME', 'PROTOCOL', 'MOCK ID', 'SUMMARY'];

const logs: CommandDef = {
  path: ['logs'],
  description: 'Show the request journal (all protocols)',
  options: [
    ['--protocol <p>', 'http, websocket, sse, mqtt or grpc'],
    ['--mock <id>', 'Only entries of this mock'],
    ['--unmatched', 'Only entries that matched no mock'],
    ['--limit <n>', 'How many recent entries (default 20)'],
    ['--follow', 'Keep printing new entries until interrupted'],
  ],
  async action(_a, o, { client, json }) {
    const limit = intOption(o.limit, 'limit') ?? 20;
    if (limit < 1) throw new UsageError('--limit must be at least 1');
    const q = filterQuery(o);
    const head = await client.get<{ total: number }>(`/requests?${q}&limit=0`);
    q.set('offset', String(Math.max(0, head.total - limit)));
    q.set('limit', String(limit));
    const page = await client.get<{ requests: JournalEntry[] }>(`/requests?${q}`);
    let entries = page.requests;
    if (!o.follow) {
      if (json) return printJson(page);
      if (entries.length === 0) return print('No requests');
      return print(table(HEADERS, entries.map(row)));
    }
    const emit = (list: JournalEntry[], withHeader: boolean) => {
      if (json) for (const e of list) print(JSON.stringify(e));
      else if (list.length > 0) {
        const lines = table(HEADERS, list.map(row)).split('\n');
        print((withHeader ? lines : lines.slice(1)).join('\n'));
      }
    };
    emit(entries, true);
    let last = entries.at(-1)?.id ?? `req-${0}`;
    let stopped = false;
    process.once('SIGINT', () => {
      stopped = true;
      process.exit(0);
    });
    const filter = Object.fromEntries(filterQuery(o));
    while (!stopped) {
      // Wait for anything new, then read everything since the last printed id, so nothing between calls is lost.
      // A wait only sees entries newer than itself, so one arriving between the read and the next wait shows up
      // when that wait times out: keep the timeout short so such an entry is printed within a second.
      await client.post('/requests/wait', { filter, count: 1, timeoutMs: 1_000 });
      const fresh = await client.get<{ requests: JournalEntry[] }>(`/requests?${filterQuery(o)}&since=${last}&limit=1000`);
      entries = fresh.requests;
      if (entries.length > 0) {
        emit(entries, false);
        last = entries.at(-1)!.id;
      }
    }
  },
};

const logsClear: CommandDef = {
  path: ['logs', 'clear'],
  description: 'Empty the request journal',
  async action(_a, _o, { client, json }) {
    await client.delete('/requests');
    if (json) return printJson({ cleared: true });
    print('Request journal cleared');
  },
};

const verify: CommandDef = {
  path: ['verify'],
  args: '<mockId>',
  description: 'Check how often a mock was called; exits 1 when the check fails',
  options: [
    ['--exactly <n>', 'Exactly n calls'],
    ['--at-least <n>', 'At least n calls'],
    ['--at-most <n>', 'At most n calls'],
    ['--never', 'No calls'],
  ],
  async action([mockId], o, { client, json }) {
    const body: Record<string, unknown> = {};
    const exactly = intOption(o.exactly, 'exactly');
    const atLeast = intOption(o.atLeast, 'at-least');
    const atMost = intOption(o.atMost, 'at-most');
    if (exactly !== undefined) body.exactly = exactly;
    if (atLeast !== undefined) body.atLeast = atLeast;
    if (atMost !== undefined) body.atMost = atMost;
    if (o.never) body.never = true;
    if (Object.keys(body).length === 0) throw new UsageError('one of --exactly, --at-least, --at-most or --never is required');
    const result = await client.post<{ passed: boolean; message: string }>(`/mocks/${encodeURIComponent(mockId!)}/verify`, body);
    if (json) printJson(result);
    else print(result.message);
    if (!result.passed) throw new CliError(result.message, 1, 'verification_failed', true);
  },
};

export const logCommands: CommandDef[] = [logs, logsClear, verify];
