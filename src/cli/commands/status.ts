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

interface ClusterHealth {
  replica: string;
  redis: string;
  replicas: { id: string; state: string; adminUrl: string; mockUrl: string; lastSeen: string }[];
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
    const data = await client.get<{ uptime: number; cluster?: ClusterHealth }>('/health');
    if (json) return printJson(data);
    print(`mockd admin API at ${client.url} is healthy (uptime ${data.uptime}s)`);
    // Cluster mode (README "Cluster mode"): the replicas this one sees, and whether it reaches Redis.
    if (data.cluster) {
      print(`Cluster: replica ${data.cluster.replica}, Redis ${data.cluster.redis}`);
      print(table(['REPLICA', 'STATE', 'ADMIN URL', 'MOCK URL', 'LAST SEEN'], data.cluster.replicas.map((r) => [r.id, r.state, r.adminUrl, r.mockUrl, r.lastSeen])));
    }
  },
};

export const statusCommands: CommandDef[] = [ports, health];
