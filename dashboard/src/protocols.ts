// What differs per protocol in the connections view: routes (contract §9.2–§9.5), the words in the table, and which
// stats make the cards. Everything else in the dashboard is written once for all four.

import type { AnyConnection, ConnectionOf, Mock, Protocol, Stats } from './types.ts';
import { formatBytes } from './format.ts';

export interface Row {
  protocol: Protocol;
  id: string;
  mockId: string;
  /** Path, topic filters or gRPC method. */
  target: string;
  client: string;
  connectedAt: string;
  counters: string;
  status: string;
  record: AnyConnection;
}

export interface StatCard {
  label: string;
  value: string;
}

export interface ProtocolInfo<P extends Protocol = Protocol> {
  protocol: P;
  label: string;
  /** Collection route; `${list}/<id>` is one connection. */
  list: string;
  listKey: 'connections' | 'streams';
  /** Segment of `/mocks/<id>/<scoped>/connections`. */
  scoped: string;
  targetLabel: string;
  toRow(c: ConnectionOf[P]): Omit<Row, 'protocol' | 'record'>;
  cards(s: Stats): StatCard[];
  /** Whether this mock's live connections are listed under this protocol. */
  serves(mock: Mock): boolean;
}

const n = (s: Stats, key: string): string => String(typeof s[key] === 'number' ? s[key] : 0);

const websocket: ProtocolInfo<'websocket'> = {
  protocol: 'websocket', label: 'WebSocket', list: '/websocket/connections', listKey: 'connections', scoped: 'websocket',
  targetLabel: 'Path',
  toRow: (c) => ({
    id: c.id, mockId: c.mockId, target: c.path, client: c.clientIp ?? '', connectedAt: c.connectedAt, status: c.status,
    counters: `${c.messagesSent} sent · ${c.messagesRecv} recv`,
  }),
  cards: (s) => [
    { label: 'Active', value: n(s, 'activeConnections') },
    { label: 'Total', value: n(s, 'totalConnections') },
    { label: 'Messages', value: `${n(s, 'totalMessagesSent')} ↑ ${n(s, 'totalMessagesRecv')} ↓` },
  ],
  serves: (m) => m.type === 'websocket',
};

const sse: ProtocolInfo<'sse'> = {
  protocol: 'sse', label: 'SSE', list: '/sse/connections', listKey: 'connections', scoped: 'sse', targetLabel: 'Path',
  toRow: (c) => ({
    id: c.id, mockId: c.mockId, target: c.path, client: c.clientIp, connectedAt: c.connectedAt, status: c.status,
    counters: `${c.eventsSent} events · ${formatBytes(c.bytesSent)}`,
  }),
  cards: (s) => [
    { label: 'Active', value: n(s, 'activeConnections') },
    { label: 'Total', value: n(s, 'totalConnections') },
    { label: 'Events', value: n(s, 'totalEventsSent') },
    { label: 'Bytes', value: formatBytes(Number(n(s, 'totalBytesSent'))) },
    { label: 'Errors', value: n(s, 'connectionErrors') },
  ],
  serves: (m) => m.type === 'http' && m.http?.sse !== undefined,
};

const mqtt: ProtocolInfo<'mqtt'> = {
  protocol: 'mqtt', label: 'MQTT', list: '/mqtt-connections', listKey: 'connections', scoped: 'mqtt', targetLabel: 'Topics',
  toRow: (c) => ({
    id: c.id, mockId: c.mockId, target: c.subscriptions.join(', '), client: c.username ? `${c.username}@${c.remoteAddr}` : c.remoteAddr,
    connectedAt: c.connectedAt, status: c.status, counters: `${c.subscriptions.length} sub${c.subscriptions.length === 1 ? '' : 's'}`,
  }),
  cards: (s) => [
    { label: 'Active', value: n(s, 'connectedClients') },
    { label: 'Total', value: n(s, 'totalConnections') },
    { label: 'Subscriptions', value: n(s, 'totalSubscriptions') },
    { label: 'Topics', value: n(s, 'topicCount') },
  ],
  serves: (m) => m.type === 'mqtt',
};

const grpc: ProtocolInfo<'grpc'> = {
  protocol: 'grpc', label: 'gRPC', list: '/grpc/connections', listKey: 'streams', scoped: 'grpc', targetLabel: 'Method',
  toRow: (c) => ({
    id: c.id, mockId: c.mockId, target: `${c.method} (${c.streamType})`, client: c.clientAddr, connectedAt: c.connectedAt,
    status: 'streaming', counters: `${c.messagesSent} sent · ${c.messagesRecv} recv`,
  }),
  cards: (s) => [
    { label: 'Active', value: n(s, 'activeStreams') },
    { label: 'Total', value: n(s, 'totalStreams') },
    { label: 'RPCs', value: n(s, 'totalRPCs') },
    { label: 'Messages', value: `${n(s, 'totalMessagesSent')} ↑ ${n(s, 'totalMessagesRecv')} ↓` },
    { label: 'Cancelled', value: n(s, 'cancelledByAdmin') },
  ],
  serves: (m) => m.type === 'grpc',
};

export const PROTOCOL_INFO: { [P in Protocol]: ProtocolInfo<P> } = { websocket, sse, mqtt, grpc };

export function toRow<P extends Protocol>(protocol: P, record: ConnectionOf[P]): Row {
  return { ...(PROTOCOL_INFO[protocol] as ProtocolInfo<P>).toRow(record), protocol, record };
}

/** The number of live connections in a stats object, whatever the protocol calls it. */
export function activeCount(s: Stats | undefined): number {
  if (!s) return 0;
  return Object.values(s.connectionsByMock).reduce((a, b) => a + b, 0);
}

/** The protocol a mock's connections are listed under, if any (an SSE mock is an http mock with `sse`). */
export function protocolOfMock(mock: Mock): Protocol | undefined {
  return (Object.values(PROTOCOL_INFO) as ProtocolInfo[]).find((p) => p.serves(mock))?.protocol;
}
