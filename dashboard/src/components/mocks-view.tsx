// The Mocks view: every mock with its type, path or port, an enabled toggle (POST /mocks/{id}/toggle) and its live
// connection count, summed from the stats' connectionsByMock (contract §9.1).

import { closeConnectionsOfMock, toggleMock } from '../actions.ts';
import { mockTarget } from '../format.ts';
import type { DashboardState, LiveStore } from '../live-store.ts';
import { protocolOfMock } from '../protocols.ts';
import { PROTOCOLS, type Mock } from '../types.ts';

interface Props {
  store: LiveStore;
  state: DashboardState;
  onShowConnections(mock: Mock): void;
}

function typeLabel(mock: Mock): string {
  return mock.type === 'http' && mock.http?.sse !== undefined ? 'sse' : mock.type;
}

export function MocksView({ store, state, onShowConnections }: Props) {
  if (state.mocks.length === 0) return <p class="empty">No mocks yet. Create one with <code>mockd add</code> or <code>POST /mocks</code>.</p>;
  const handlers = new Map(state.handlers.map((h) => [h.id, h]));
  const connections = (id: string) => PROTOCOLS.reduce((n, p) => n + (state.stats[p]?.connectionsByMock[id] ?? 0), 0);
  return (
    <table class="mocks">
      <thead>
        <tr>
          <th>Enabled</th>
          <th>ID</th>
          <th>Name</th>
          <th>Type</th>
          <th>Path or port</th>
          <th>Status</th>
          <th>Connections</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {state.mocks.map((m) => {
          const n = connections(m.id);
          const handler = handlers.get(m.id);
          return (
            <tr key={m.id} data-mock-id={m.id}>
              <td>
                <input class="switch" type="checkbox" role="switch" aria-label={`Enable ${m.id}`} checked={m.enabled} onChange={() => void toggleMock(store, m)} />
              </td>
              <td class="mono">{m.id}</td>
              <td>{m.name}</td>
              <td><span class={`tag ${typeLabel(m)}`}>{typeLabel(m)}</span></td>
              <td class="mono">{mockTarget(m)}</td>
              <td>{!m.enabled ? <span class="muted">disabled</span> : handler ? <span class={`status ${handler.status}`} title={handler.error}>{handler.status}</span> : 'serving'}</td>
              <td data-col="connections">{protocolOfMock(m) ? n : '—'}</td>
              <td class="actions">
                {protocolOfMock(m) && <button type="button" onClick={() => onShowConnections(m)}>Connections</button>}
                {n > 0 && <button type="button" class="danger" onClick={() => void closeConnectionsOfMock(store, m)}>Close all</button>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
