// The four connection groups (contract §10): `<group> connections list|ls|get|close` and `<group> stats`, written
// once from the protocol profile table; each protocol adds only its table columns. Plus `websocket connections send`.

import { CliError } from '../client.ts';
import { age, fields, print, printJson, table } from '../output.ts';
import { UsageError, type CommandDef } from '../registry.ts';
import { isBase64 } from '../../util/base64.ts';
import type { Protocol } from '../../contract/protocols.ts';
import { PROTOCOL_PROFILES } from '../../contract/profiles.ts';

type Row = Record<string, any>;

/** What the CLI adds to a protocol's profile: its table. Routes and words come from the profile table. */
interface GroupColumns {
  protocol: Protocol;
  headers: string[];
  row(c: Row): (string | number)[];
}

const COLUMNS: GroupColumns[] = [
  {
    protocol: 'websocket',
    headers: ['ID', 'PATH', 'MOCK ID', 'CONNECTED', 'MSG SENT', 'MSG RECV', 'STATUS'],
    row: (c) => [c.id, c.path, c.mockId, age(c.connectedAt), c.messagesSent, c.messagesRecv, c.status],
  },
  {
    protocol: 'sse',
    headers: ['ID', 'PATH', 'MOCK ID', 'CLIENT IP', 'CONNECTED', 'EVENTS', 'STATUS'],
    row: (c) => [c.id, c.path, c.mockId, c.clientIp, age(c.connectedAt), c.eventsSent, c.status],
  },
  {
    protocol: 'mqtt',
    headers: ['ID', 'MOCK ID', 'REMOTE ADDR', 'USERNAME', 'SUBSCRIPTIONS', 'CONNECTED', 'STATUS'],
    row: (c) => [c.id, c.mockId, c.remoteAddr, c.username ?? '-', `${(c.subscriptions ?? []).length} topic(s)`, age(c.connectedAt), c.status],
  },
  {
    protocol: 'grpc',
    headers: ['ID', 'METHOD', 'STREAM TYPE', 'MOCK ID', 'CLIENT', 'CONNECTED', 'MSG SENT', 'MSG RECV'],
    row: (c) => [c.id, c.method, c.streamType, c.mockId, c.clientAddr, age(c.connectedAt), c.messagesSent, c.messagesRecv],
  },
];

function groupCommands(columns: GroupColumns): CommandDef[] {
  const { routes, listKey, cli: words } = PROTOCOL_PROFILES[columns.protocol];
  const g = { ...words, ...columns, list: routes.list, stats: routes.stats, listKey };
  const one = (id: string) => `${g.list}/${encodeURIComponent(id)}`;
  const list: CommandDef['action'] = async (_a, _o, { client, json }) => {
    const data = await client.get(g.list);
    if (json) return printJson(data);
    const rows: Row[] = data[g.listKey];
    if (rows.length === 0) return print(g.empty);
    // In a pool of more than one member each record names its worker (README "Workers"); a pool of one adds no column.
    const pooled = rows.some((r) => r.worker !== undefined);
    print(pooled ? table([...g.headers, 'WORKER'], rows.map((r) => [...g.row(r), r.worker ?? '-'])) : table(g.headers, rows.map(g.row)));
    print(g.total(rows.length));
  };
  return [
    {
      path: [g.group, 'connections', 'list'],
      description: `List live ${g.group} connections`,
      action: list,
    },
    {
      // Bare `connections` lists, as in the Go mockd; a word after it that is no verb is still a usage error.
      path: [g.group, 'connections'],
      args: '[verb]',
      description: `List live ${g.group} connections (same as connections list)`,
      async action(args, o, ctx) {
        if (args.length > 0) throw new UsageError(`unknown command "${g.group} connections ${args.join(' ')}"`);
        return list(args, o, ctx);
      },
    },
    {
      path: [g.group, 'connections', 'get'],
      args: '<id>',
      description: `Show one ${g.group} connection`,
      async action([id], _o, { client, json }) {
        const data = await client.get(one(id!));
        if (json) return printJson(data);
        print(`${g.itemTitle}: ${data.id}`);
        print(fields(data));
      },
    },
    {
      path: [g.group, 'connections', 'close'],
      args: '<id>',
      description: `Close one ${g.group} connection`,
      async action([id], _o, { client, json }) {
        await client.delete(one(id!));
        if (json) return printJson(g.closedJson(id!));
        print(g.closed(id!));
      },
    },
    {
      path: [g.group, 'stats'],
      description: `${g.group} connection statistics`,
      async action(_a, _o, { client, json }) {
        const data = await client.get(g.stats);
        if (json) return printJson(data);
        print(g.statsTitle);
        print(fields(data));
      },
    },
  ];
}

const send: CommandDef = {
  path: ['websocket', 'connections', 'send'],
  args: '<id> <message>',
  description: 'Send a text (or --binary base64) message to a WebSocket connection',
  options: [['--binary', 'The message is base64 and is sent as a binary frame']],
  async action([id, message], o, { client, json }) {
    const type = o.binary ? 'binary' : 'text';
    // Checked before any request, as contract §10 asks.
    if (type === 'binary' && !isBase64(message!)) throw new CliError('invalid base64 data', 2);
    await client.post(`/websocket/connections/${encodeURIComponent(id!)}/send`, { type, data: message });
    if (json) return printJson({ id, sent: true, type });
    print(`Sent ${type} message to connection ${id}`);
  },
};

export const connectionCommands: CommandDef[] = [...COLUMNS.flatMap(groupCommands), send];

export { UsageError };
