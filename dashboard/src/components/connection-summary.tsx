// The facts about a connection one looks for first, whatever its protocol: where the client is (WebSocket and SSE
// `clientIp`, MQTT `remoteAddr`, gRPC `clientAddr`), the WebSocket subprotocol, the gRPC stream kind, TLS when a
// record says so.

import type { Row } from '../protocols.ts';

const ADDRESS_KEYS = ['clientIp', 'remoteAddr', 'clientAddr'] as const;

export function ConnectionSummary({ row }: { row: Row }) {
  const record = row.record as unknown as Record<string, unknown>;
  const address = ADDRESS_KEYS.map((k) => record[k]).find((v) => typeof v === 'string' && v !== '');
  const facts: [string, string, string][] = [['client', 'Client address', typeof address === 'string' ? address : 'unknown']];
  if (row.protocol === 'websocket') facts.push(['subprotocol', 'Subprotocol', typeof record.subprotocol === 'string' ? record.subprotocol : 'none']);
  if (row.protocol === 'grpc') facts.push(['stream', 'Stream kind', String(record.streamType).replace('_', ' ')]);
  if (row.protocol === 'mqtt' && typeof record.username === 'string') facts.push(['username', 'Username', record.username]);
  if (typeof record.tls === 'boolean') facts.push(['tls', 'TLS', record.tls ? 'yes' : 'no']);
  else if (typeof record.tls === 'object' && record.tls !== null) {
    const tls = record.tls as { protocol?: string; cipher?: string; clientCN?: string; clientFingerprint?: string };
    facts.push(['tls', 'TLS', `🔒 ${tls.protocol ?? ''} · ${tls.cipher ?? ''}`]);
    if (tls.clientCN) facts.push(['client-cn', 'Client CN', tls.clientCN]);
    if (tls.clientFingerprint) facts.push(['client-fingerprint', 'Client certificate', tls.clientFingerprint]);
  }
  return (
    <dl class="summary-facts">
      {facts.map(([key, label, value]) => (
        <div key={key} data-detail={key}>
          <dt>{label}</dt>
          <dd class="mono">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
