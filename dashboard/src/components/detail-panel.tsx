// Every field of the selected connection (contract §9.2–§9.5), with the client address, the WebSocket subprotocol,
// MQTT subscriptions and the gRPC method and stream type shown first, then its recent traffic from the journal.

import { formatAge } from '../format.ts';
import type { LiveStore } from '../live-store.ts';
import { PROTOCOL_INFO, type Row } from '../protocols.ts';
import type { GrpcStream, Mock, MqttConnection } from '../types.ts';
import { ConnectionSummary } from './connection-summary.tsx';
import { ConnectionTraffic } from './connection-traffic.tsx';
import { FaultControls } from './fault-controls.tsx';
import { isProxyMock, snapshotConnection } from '../recording-actions.ts';

interface Props {
  store: LiveStore;
  row?: Row;
  selectedId: string;
  mock?: Mock;
  now: number;
  onClose(row: Row): void;
  onSend(row: Row): void;
  onCloseMock(mock: Mock): void;
  onDismiss(): void;
}

function renderValue(value: unknown) {
  if (Array.isArray(value)) {
    return value.length === 0 ? <span class="muted">none</span> : <ul class="chips">{value.map((v) => <li class="mono" key={String(v)}>{String(v)}</li>)}</ul>;
  }
  if (value !== null && typeof value === 'object') return <code>{JSON.stringify(value)}</code>;
  return <span class="mono">{String(value)}</span>;
}

export function DetailPanel({ store, row, selectedId, mock, now, onClose, onSend, onCloseMock, onDismiss }: Props) {
  return (
    <aside class="detail" aria-label="Connection detail">
      <header>
        <h2 class="mono">{selectedId}</h2>
        <button type="button" class="plain" aria-label="Close panel" onClick={onDismiss}>×</button>
      </header>
      {!row ? (
        <p class="muted">This connection has closed.</p>
      ) : (
        <>
          <p>
            <span class={`tag ${row.protocol}`}>{PROTOCOL_INFO[row.protocol].label}</span> connected for {formatAge(row.connectedAt, now)}
            {mock && <> · mock <strong>{mock.name || mock.id}</strong></>}
            {mock && isProxyMock(mock) && <> · <span class="tag proxy" data-proxy>proxied</span></>}
          </p>
          <ConnectionSummary row={row} />
          {row.protocol === 'grpc' && (
            <p class="highlight">
              <span class="mono">{(row.record as GrpcStream).method}</span> · {(row.record as GrpcStream).streamType.replace('_', ' ')}
            </p>
          )}
          {row.protocol === 'mqtt' && (
            <div class="highlight">
              <div class="label">Subscriptions</div>
              {renderValue((row.record as MqttConnection).subscriptions)}
            </div>
          )}
          <ConnectionTraffic store={store} protocol={row.protocol} id={row.id} />
          <dl class="fields">
            {Object.entries(row.record).map(([k, v]) => (
              <div key={k} data-field={k}>
                <dt>{k}</dt>
                <dd>{renderValue(v)}</dd>
              </div>
            ))}
          </dl>
          <FaultControls key={`${row.protocol}:${row.id}`} row={row} />
          <div class="buttons">
            {row.protocol === 'websocket' && <button type="button" onClick={() => onSend(row)}>Send message…</button>}
            {mock && <button type="button" data-action="snapshot-connection" onClick={() => void snapshotConnection(store, mock.id, row.id)}>Snapshot this connection</button>}
            <button type="button" class="danger" onClick={() => onClose(row)}>Close connection</button>
            {mock && <button type="button" class="danger" onClick={() => onCloseMock(mock)}>Close all of this mock</button>}
          </div>
        </>
      )}
    </aside>
  );
}
