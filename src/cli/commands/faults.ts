// `mockd <group> connections fault <id> --kind K …` and `mockd <group> connections lift <id>` (README "Faults and
// chaos"), written once for the four connection groups from the protocol profile table.

import { CliError } from '../client.ts';
import { print, printJson } from '../output.ts';
import type { CommandDef } from '../registry.ts';
import { parseDuration } from '../../util/duration.ts';
import { PROTOCOL_PROFILES } from '../../contract/profiles.ts';
import { FAULT_KINDS } from '../../contract/faults.ts';

/** A duration flag (`5s`, `250ms`, or bare milliseconds) as ms; a bad one is a usage error before any request. */
function durationFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(typeof value === 'number' ? value : String(value));
  if (ms === undefined) throw new CliError(`invalid ${flag}: ${String(value)} (use e.g. 500ms, 5s)`, 2);
  return ms;
}

function integerFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new CliError(`invalid ${flag}: ${String(value)} (an integer)`, 2);
  return n;
}

export const faultCommands: CommandDef[] = Object.values(PROTOCOL_PROFILES).flatMap((p) => {
  const group = p.cli.group;
  const one = (id: string) => `${p.routes.list}/${encodeURIComponent(id)}/fault`;
  return [
    {
      path: [group, 'connections', 'fault'],
      args: '<id>',
      description: `Put a fault on one ${group} connection (${FAULT_KINDS[p.protocol].join(', ')})`,
      options: [
        ['--kind <kind>', `Fault kind: ${FAULT_KINDS[p.protocol].join(' | ')}`],
        ['--duration <duration>', 'stall, delay, drop-puback: lift by itself after this long (e.g. 5s)'],
        ['--delay <duration>', 'delay: extra latency per outbound message'],
        ['--count <n>', 'drop-messages: how many outbound messages to drop; drop-puback: how many PUBACKs'],
        ['--code <code>', 'close: WebSocket close code or gRPC status code'],
        ['--reason <text>', 'close: close reason or gRPC status details'],
        ['--retry <duration>', 'close on SSE: the retry: sent before the stream ends'],
      ],
      async action([id], o, { client, json }) {
        if (typeof o.kind !== 'string') throw new CliError('--kind is required', 2);
        const body: Record<string, unknown> = { kind: o.kind };
        const durationMs = durationFlag(o.duration, '--duration');
        const delayMs = durationFlag(o.delay, '--delay');
        const retryMs = durationFlag(o.retry, '--retry');
        const count = integerFlag(o.count, '--count');
        const code = integerFlag(o.code, '--code');
        Object.assign(body, durationMs !== undefined && { durationMs }, delayMs !== undefined && { delayMs }, retryMs !== undefined && { retryMs });
        Object.assign(body, count !== undefined && { count }, code !== undefined && { code }, o.reason !== undefined && { reason: String(o.reason) });
        const data = await client.post(one(id!), body);
        if (json) return printJson(data);
        print(`Fault ${o.kind} applied to ${group} connection ${id}${data.lasting ? ' (lift it with: mockd ' + group + ' connections lift ' + id + ')' : ''}`);
      },
    },
    {
      path: [group, 'connections', 'lift'],
      args: '<id>',
      description: `Lift the lasting faults of one ${group} connection`,
      async action([id], _o, { client, json }) {
        const data = await client.delete(one(id!));
        if (json) return printJson(data);
        print(`Faults lifted on ${group} connection ${id}`);
      },
    },
  ] satisfies CommandDef[];
});
