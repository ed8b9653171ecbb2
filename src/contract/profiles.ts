// The protocol profile table: every fact about a protocol that more than one part of mockd needs, written once.
// The coordinator (registration, `/ports`, `/handlers`, stats merge), the admin routes, the typed client, the CLI
// and the dashboard read it; each keeps only what is truly its own (the CLI's columns, the dashboard's cells).
// Adding a protocol is an entry here, a folder in src/protocols, a worker entry and a schema.

import type { Mock, MockType } from '../mocks/types.ts';
import type { ConnectionStats, Protocol, WorkerName } from './protocols.ts';

/** A mock type whose mocks listen on a port of their own (contract §6, §7). */
export interface OwnPort {
  component: 'mqtt-broker' | 'grpc-server';
  /** The spec port (0 = pick one). */
  read(mock: Pick<Mock, 'mqtt' | 'grpc'>): number | undefined;
  /** The mock with its spec port replaced (a port-0 mock shows the port it was given). */
  withPort(mock: Mock, port: number): Mock;
}

export interface MockTypeProfile {
  type: MockType;
  /** The worker whose hosts serve mocks of this type. */
  worker: WorkerName;
  ownPort?: OwnPort;
}

export const MOCK_TYPE_PROFILES: { readonly [T in MockType]: MockTypeProfile } = {
  http: { type: 'http', worker: 'http' },
  websocket: { type: 'websocket', worker: 'http' },
  mqtt: {
    type: 'mqtt',
    worker: 'mqtt',
    ownPort: {
      component: 'mqtt-broker',
      read: (m) => m.mqtt?.port,
      withPort: (m, port) => ({ ...m, mqtt: { ...m.mqtt!, port } }),
    },
  },
  grpc: {
    type: 'grpc',
    worker: 'grpc',
    ownPort: {
      component: 'grpc-server',
      read: (m) => m.grpc?.port,
      withPort: (m, port) => ({ ...m, grpc: { ...m.grpc!, port } }),
    },
  },
};

/** As much of a mock as the profiles read (the dashboard's own mock type has it too). */
export interface MockShape {
  type: MockType;
  http?: { sse?: unknown };
}

export interface ProtocolProfile {
  protocol: Protocol;
  /** The word users read: `WebSocket`, `SSE`, `MQTT`, `gRPC`. */
  label: string;
  /** The mock type whose mocks have connections of this protocol (an SSE mock is an http mock with `sse`). */
  mockType: MockType;
  /** Whether a mock's live connections are listed under this protocol. */
  serves(mock: MockShape): boolean;
  routes: {
    /** Collection route; `${list}/{id}` is one connection. */
    list: string;
    stats: string;
    /** Segment of the mock-scoped route `/mocks/{id}/<scoped>/connections`. */
    scoped: string;
  };
  /** `connections` for most, `streams` for gRPC: the list key of the answers and the noun of the messages. */
  listKey: 'connections' | 'streams';
  /** The admin API's words (contract §9.2–§9.5). */
  api: {
    notFound: string;
    closed(id: string): Record<string, string>;
    closedMany: string;
  };
  /** The CLI's words (contract §10). */
  cli: {
    group: string;
    /** The Go mockd's title lines, which scripts grep for: above `stats`, and above `connections get` (+ id). */
    statsTitle: string;
    itemTitle: string;
    empty: string;
    total(n: number): string;
    closed(id: string): string;
    closedJson(id: string): Record<string, unknown>;
  };
  /** Merges the stats of several workers into one answer (counts summed, flags or-ed, maps merged). */
  mergeStats(parts: readonly ConnectionStats[]): ConnectionStats;
}

/**
 * Sums every number, ors every boolean and merges every `Record<string, number>` by summing, key by key; anything
 * else keeps the first part's value. One part is returned as it is.
 */
export function sumStats(parts: readonly ConnectionStats[]): ConnectionStats {
  if (parts.length === 1) return parts[0]!;
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      const have = out[key];
      if (typeof value === 'number') out[key] = ((have as number | undefined) ?? 0) + value;
      else if (typeof value === 'boolean') out[key] = Boolean(have) || value;
      else if (value && typeof value === 'object' && !Array.isArray(value)) {
        const merged = { ...((have as Record<string, number> | undefined) ?? {}) };
        for (const [k, n] of Object.entries(value as Record<string, number>)) merged[k] = (merged[k] ?? 0) + n;
        out[key] = merged;
      } else if (!(key in out)) out[key] = value;
    }
  }
  return out as unknown as ConnectionStats;
}

const connectionWords = {
  notFound: 'Connection not found',
  closed: (id: string) => ({ message: 'Connection closed', connection: id }),
  closedMany: 'Connections closed',
};

export const PROTOCOL_PROFILES: { readonly [P in Protocol]: ProtocolProfile } = {
  websocket: {
    protocol: 'websocket',
    label: 'WebSocket',
    mockType: 'websocket',
    serves: (m) => m.type === 'websocket',
    routes: { list: '/websocket/connections', stats: '/websocket/stats', scoped: 'websocket' },
    listKey: 'connections',
    api: connectionWords,
    cli: {
      group: 'websocket',
      statsTitle: 'WebSocket Statistics',
      itemTitle: 'WebSocket Connection',
      empty: 'No active WebSocket connections',
      total: (n) => `Total: ${n} connection(s)`,
      closed: (id) => `Closed WebSocket connection: ${id}`,
      closedJson: (id) => ({ id, closed: true }),
    },
    mergeStats: sumStats,
  },
  sse: {
    protocol: 'sse',
    label: 'SSE',
    mockType: 'http',
    serves: (m) => m.type === 'http' && m.http?.sse !== undefined,
    routes: { list: '/sse/connections', stats: '/sse/stats', scoped: 'sse' },
    listKey: 'connections',
    api: connectionWords,
    cli: {
      group: 'sse',
      statsTitle: 'SSE Statistics',
      itemTitle: 'SSE Connection',
      empty: 'No active SSE connections',
      total: (n) => `Total: ${n} connection(s)`,
      closed: (id) => `Closed SSE connection: ${id}`,
      closedJson: (id) => ({ id, closed: true }),
    },
    mergeStats: sumStats,
  },
  mqtt: {
    protocol: 'mqtt',
    label: 'MQTT',
    mockType: 'mqtt',
    serves: (m) => m.type === 'mqtt',
    routes: { list: '/mqtt-connections', stats: '/mqtt-connections/stats', scoped: 'mqtt' },
    listKey: 'connections',
    api: connectionWords,
    cli: {
      group: 'mqtt',
      statsTitle: 'MQTT Broker Statistics',
      itemTitle: 'MQTT Connection',
      empty: 'No active MQTT connections',
      total: (n) => `Total: ${n} connection(s)`,
      closed: (id) => `Disconnected MQTT client: ${id}`,
      closedJson: (id) => ({ id, closed: true }),
    },
    // `port` is the lowest running broker port (§9.4), not a count.
    mergeStats: (parts) => {
      const merged = sumStats(parts) as ConnectionStats & { port?: number };
      if (parts.length > 1) {
        const ports = parts.map((p) => (p as { port?: number }).port ?? 0).filter((p) => p > 0);
        merged.port = ports.length > 0 ? Math.min(...ports) : 0;
      }
      return merged;
    },
  },
  grpc: {
    protocol: 'grpc',
    label: 'gRPC',
    mockType: 'grpc',
    serves: (m) => m.type === 'grpc',
    routes: { list: '/grpc/connections', stats: '/grpc/stats', scoped: 'grpc' },
    listKey: 'streams',
    api: {
      notFound: 'Stream not found',
      closed: (id) => ({ message: 'Stream cancelled', stream: id }),
      closedMany: 'Streams cancelled',
    },
    cli: {
      group: 'grpc',
      statsTitle: 'gRPC Statistics',
      itemTitle: 'gRPC Stream',
      empty: 'No active gRPC streams',
      total: (n) => `Total: ${n} stream(s)`,
      closed: (id) => `Cancelled gRPC stream: ${id}`,
      closedJson: (id) => ({ id, cancelled: true }),
    },
    mergeStats: sumStats,
  },
};

/** The worker that serves mocks of a type. */
export function workerOfType(type: MockType): WorkerName {
  return MOCK_TYPE_PROFILES[type].worker;
}

/** The worker that holds a protocol's connections. */
export function workerOfProtocol(protocol: Protocol): WorkerName {
  return workerOfType(PROTOCOL_PROFILES[protocol].mockType);
}

/** The workers to start, each with the mock types it serves and the protocols whose connections it holds. */
export function workerTable(): { name: WorkerName; mockTypes: MockType[]; protocols: Protocol[] }[] {
  const out = new Map<WorkerName, { name: WorkerName; mockTypes: MockType[]; protocols: Protocol[] }>();
  for (const t of Object.values(MOCK_TYPE_PROFILES)) {
    const w = out.get(t.worker) ?? { name: t.worker, mockTypes: [], protocols: [] };
    w.mockTypes.push(t.type);
    out.set(t.worker, w);
  }
  for (const p of Object.values(PROTOCOL_PROFILES)) out.get(workerOfType(p.mockType))!.protocols.push(p.protocol);
  return [...out.values()];
}

/** The protocol a mock's live connections are listed under, if any. */
export function protocolOfMock(mock: MockShape): Protocol | undefined {
  return Object.values(PROTOCOL_PROFILES).find((p) => p.serves(mock))?.protocol;
}
