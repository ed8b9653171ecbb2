// What the connections view adds to each protocol's profile (src/contract/profiles.ts: routes, label, which mocks it
// serves): the cells of the table and which stats make the cards. Everything else is written once for all four.

import type { AnyConnection, ConnectionOf, Protocol, Stats, TlsInfo } from './types.ts';
import { formatBytes } from './format.ts';
import { PROTOCOL_PROFILES, type ProtocolProfile } from '../../src/contract/profiles.ts';

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
  /** The pool member that holds it (`http-2`), in a pool of more than one (README "Workers"). */
  worker?: string;
  record: AnyConnection;
}

export interface StatCard {
  label: string;
  value: string;
}

/** The dashboard's own part of a protocol. */
interface Cells<P extends Protocol> {
  targetLabel: string;
  toRow(c: ConnectionOf[P]): Omit<Row, 'protocol' | 'worker' | 'record'>;
  cards(s: Stats): StatCard[];
}

export type ProtocolInfo<P extends Protocol = Protocol> = ProtocolProfile & Cells<P> & { protocol: P };

/** The client cell: a lock for a TLS connection, and the client certificate's CN when there is one (README "TLS"). */
export function clientCell(address: string, tls: TlsInfo | undefined): string {
  if (!tls) return address;
  return `🔒 ${address}${tls.clientCN ? ` (CN ${tls.clientCN})` : ''}`;
}

const n = (s: Stats, key: string): string => String(typeof s[key] === 'number' ? s[key] : 0);

const websocket: Cells<'websocket'> = {
  targetLabel: 'Path',
  toRow: (c) => ({
    id: c.id, mockId: c.mockId, target: c.path, client: clientCell(c.clientIp ?? '', c.tls), connectedAt: c.connectedAt, status: c.status,
    counters: `${c.messagesSent} sent · ${c.messagesRecv} recv`,
  }),
  cards: (s) => [
    { label: 'Active', value: n(s, 'activeConnections') },
    { label: 'Total', value: n(s, 'totalConnections') },
    { label: 'Messages', value: `${n(s, 'totalMessagesSent')} ↑ ${n(s, 'totalMessagesRecv')} ↓` },
  ],
};

const sse: Cells<'sse'> = {
  targetLabel: 'Path',
  toRow: (c) => ({
    id: c.id, mockId: c.mockId, target: c.path, client: clientCell(c.clientIp, c.tls), connectedAt: c.connectedAt, status: c.status,
    counters: `${c.eventsSent} events · ${formatBytes(c.bytesSent)}`,
  }),
  cards: (s) => [
    { label: 'Active', value: n(s, 'activeConnections') },
    { label: 'Total', value: n(s, 'totalConnections') },
    { label: 'Events', value: n(s, 'totalEventsSent') },
    { label: 'Bytes', value: formatBytes(Number(n(s, 'totalBytesSent'))) },
    { label: 'Errors', value: n(s, 'connectionErrors') },
  ],
};

const mqtt: Cells<'mqtt'> = {
  targetLabel: 'Topics',
  toRow: (c) => ({
    id: c.id, mockId: c.mockId, target: c.subscriptions.join(', '), client: clientCell(c.username ? `${c.username}@${c.remoteAddr}` : c.remoteAddr, c.tls),
    connectedAt: c.connectedAt, status: c.status, counters: `${c.subscriptions.length} sub${c.subscriptions.length === 1 ? '' : 's'}`,
  }),
  cards: (s) => [
    { label: 'Active', value: n(s, 'connectedClients') },
    { label: 'Total', value: n(s, 'totalConnections') },
    { label: 'Subscriptions', value: n(s, 'totalSubscriptions') },
    { label: 'Topics', value: n(s, 'topicCount') },
  ],
};

const grpc: Cells<'grpc'> = {
  targetLabel: 'Method',
  toRow: (c) => ({
    id: c.id, mockId: c.mockId, target: `${c.method} (${c.streamType})`, client: clientCell(c.clientAddr, c.tls), connectedAt: c.connectedAt,
    status: 'streaming', counters: `${c.messagesSent} sent · ${c.messagesRecv} recv`,
  }),
  cards: (s) => [
    { label: 'Active', value: n(s, 'activeStreams') },
    { label: 'Total', value: n(s, 'totalStreams') },
    { label: 'RPCs', value: n(s, 'totalRPCs') },
    { label: 'Messages', value: `${n(s, 'totalMessagesSent')} ↑ ${n(s, 'totalMessagesRecv')} ↓` },
    { label: 'Cancelled', value: n(s, 'cancelledByAdmin') },
  ],
};

function info<P extends Protocol>(protocol: P, cells: Cells<P>): ProtocolInfo<P> {
  return { ...PROTOCOL_PROFILES[protocol], ...cells, protocol };
}

export const PROTOCOL_INFO: { [P in Protocol]: ProtocolInfo<P> } = {
  websocket: info('websocket', websocket),
  sse: info('sse', sse),
  mqtt: info('mqtt', mqtt),
  grpc: info('grpc', grpc),
};

export function toRow<P extends Protocol>(protocol: P, record: ConnectionOf[P]): Row {
  return { ...(PROTOCOL_INFO[protocol] as ProtocolInfo<P>).toRow(record), protocol, worker: record.worker, record };
}

/** The number of live connections in a stats object, whatever the protocol calls it. */
export function activeCount(s: Stats | undefined): number {
  if (!s) return 0;
  return Object.values(s.connectionsByMock).reduce((a, b) => a + b, 0);
}

export { protocolOfMock } from '../../src/contract/profiles.ts';
