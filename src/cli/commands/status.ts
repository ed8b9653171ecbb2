// `mockd ports` and `mockd health` (contract §10).

import { print, printJson, table } from '../output.ts';
import type { CommandDef } from '../registry.ts';

interface PortEntry {
  port: number;
  protocol: string;
  component: string;
  mockId?: string;
  status: string;
}

const ports: CommandDef = {
  path: ['ports'],
  description: 'List the ports mockd listens on',
  async action(_a, _o, { client, json }) {
    const data = await client.get<{ ports: PortEntry[] }>('/ports');
    if (json) return printJson(data);
    print(table(['PORT', 'PROTOCOL', 'COMPONENT', 'MOCK ID', 'STATUS'], data.ports.map((p) => [p.port, p.protocol, p.component, p.mockId ?? '-', p.status])));
  },
};

const health: CommandDef = {
  path: ['health'],
  description: 'Check that the admin API answers',
  async action(_a, _o, { client, json }) {
    const data = await client.get<{ uptime: number }>('/health');
    if (json) return printJson(data);
    print(`mockd admin API at ${client.url} is healthy (uptime ${data.uptime}s)`);
  },
};

export const statusCommands: CommandDef[] = [ports, health];
