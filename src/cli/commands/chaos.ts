// `mockd chaos enable|disable|status|profiles|apply NAME` (README "Faults and chaos"): the admin API's /chaos routes.

import { CliError } from '../client.ts';
import { fields, print, printJson, table } from '../output.ts';
import type { CommandDef } from '../registry.ts';
import { parseDuration } from '../../util/duration.ts';

function describe(config: Record<string, any>): string {
  const parts: string[] = [];
  if (config.profile) parts.push(`profile ${config.profile}`);
  if (config.latency !== undefined) parts.push(`latency ${JSON.stringify(config.latency)}`);
  if (config.errorRate !== undefined) parts.push(`errorRate ${config.errorRate} (status ${config.errorStatus ?? 503})`);
  if (config.bandwidth !== undefined) parts.push(`bandwidth ${config.bandwidth} B/s`);
  if (config.fault !== undefined) parts.push(`fault ${config.fault}`);
  if (config.rules?.length) parts.push(`${config.rules.length} rule(s)`);
  return parts.join(', ') || 'no faults configured';
}

export const chaosCommands: CommandDef[] = [
  {
    path: ['chaos', 'enable'],
    description: 'Turn chaos on (with --latency, --error-rate, --error-code, --bandwidth it replaces the configuration)',
    options: [
      ['--latency <duration>', 'Fixed latency added to every request and message (e.g. 200ms)'],
      ['--error-rate <rate>', 'Probability (0-1) that a request fails'],
      ['--error-code <status>', 'Status of a failed request (default 503)'],
      ['--bandwidth <bytes>', 'Bytes per second for response bodies'],
    ],
    async action(_a, o, { client, json }) {
      const given = o.latency !== undefined || o.errorRate !== undefined || o.errorCode !== undefined || o.bandwidth !== undefined;
      const current = await client.get('/chaos');
      const next: Record<string, unknown> = given ? { enabled: true, rules: [] } : { ...current, enabled: true };
      if (o.latency !== undefined) {
        const ms = parseDuration(String(o.latency));
        if (ms === undefined) throw new CliError(`invalid --latency: ${o.latency}`, 2);
        next.latency = ms;
      }
      if (o.errorRate !== undefined) next.errorRate = Number(o.errorRate);
      if (o.errorCode !== undefined) next.errorStatus = Number(o.errorCode);
      if (o.bandwidth !== undefined) next.bandwidth = Number(o.bandwidth);
      const data = await client.put('/chaos', next);
      if (json) return printJson(data);
      print(`Chaos enabled: ${describe(data)}`);
    },
  },
  {
    path: ['chaos', 'disable'],
    description: 'Turn chaos off (the configuration is kept for the next enable)',
    async action(_a, _o, { client, json }) {
      const data = await client.put('/chaos', { ...(await client.get('/chaos')), enabled: false });
      if (json) return printJson(data);
      print('Chaos disabled');
    },
  },
  {
    path: ['chaos', 'status'],
    description: 'Show the chaos configuration and what it did',
    async action(_a, _o, { client, json }) {
      const [config, stats] = await Promise.all([client.get('/chaos'), client.get('/chaos/stats')]);
      if (json) return printJson({ config, stats });
      print(`Chaos: ${config.enabled ? 'enabled' : 'disabled'} (${describe(config)})`);
      print(fields(stats.counts));
    },
  },
  {
    path: ['chaos', 'profiles'],
    description: 'List the named chaos profiles',
    async action(_a, _o, { client, json }) {
      const data = await client.get('/chaos/profiles');
      if (json) return printJson(data);
      print(table(['NAME', 'DESCRIPTION'], data.profiles.map((p: { name: string; description: string }) => [p.name, p.description])));
    },
  },
  {
    path: ['chaos', 'apply'],
    args: '<name>',
    description: 'Apply a named chaos profile (and enable chaos)',
    async action([name], _o, { client, json }) {
      const data = await client.post(`/chaos/profiles/${encodeURIComponent(name!)}/apply`);
      if (json) return printJson(data);
      print(`Chaos profile ${name} applied: ${describe(data)}`);
    },
  },
];
