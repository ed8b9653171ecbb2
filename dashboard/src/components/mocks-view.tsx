// The Mocks view: every mock with its type, path or port, an enabled toggle (POST /mocks/{id}/toggle), its live
// connection count (summed from the stats' connectionsByMock, contract §9.1) and its calls as verify counts them
// (§12), with New, Edit, Duplicate and Delete. Disabling or deleting a mock with live clients asks first (§9.6).

import { useEffect, useMemo, useState } from 'preact/hooks';
import { closeConnectionsOfMock, toggleMock } from '../actions.ts';
import { duplicateDraft, newDraft, toDraft } from '../editor/draft.ts';
import type { EditorTarget } from '../editor/mock-editor.tsx';
import { formatAge, mockTarget } from '../format.ts';
import type { DashboardState, LiveStore } from '../live-store.ts';
import { deleteMock, liveConnectionsOf } from '../mock-actions.ts';
import { isProxyMock, snapshotMock } from '../recording-actions.ts';
import { useObservable } from '../observable.ts';
import { protocolOfMock } from '../protocols.ts';
import type { Mock } from '../types.ts';
import { useNow } from '../use-now.ts';
import { VerifyCounts } from '../verify-counts.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';

interface Props {
  store: LiveStore;
  state: DashboardState;
  onShowConnections(mock: Mock): void;
  onShowJournal(mock: Mock): void;
  onEdit(target: EditorTarget): void;
}

function typeLabel(mock: Mock): string {
  return mock.type === 'http' && mock.http?.sse !== undefined ? 'sse' : mock.type;
}

type Pending = { kind: 'delete' | 'disable'; mock: Mock; live: number };

export function MocksView({ store, state, onShowConnections, onShowJournal, onEdit }: Props) {
  const verify = useMemo(() => new VerifyCounts(store), [store]);
  useEffect(() => {
    verify.start();
    return () => verify.stop();
  }, [verify]);
  const calls = useObservable(verify);
  const now = useNow(5000);
  const [pending, setPending] = useState<Pending>();

  const handlers = new Map(state.handlers.map((h) => [h.id, h]));
  const newMock = (
    <button type="button" class="primary" onClick={() => onEdit({ title: 'New mock', draft: newDraft('http') })}>New mock</button>
  );
  const toggle = (m: Mock) => {
    const live = liveConnectionsOf(state, m.id);
    if (m.enabled && live > 0) setPending({ kind: 'disable', mock: m, live });
    else void toggleMock(store, m);
  };

  return (
    <div class="mocks-view">
      <div class="toolbar">
        {newMock}
        <span class="muted small">{state.mocks.length} mock{state.mocks.length === 1 ? '' : 's'} · calls as <code>GET /mocks/{'{id}'}/verify</code> counts them</span>
      </div>
      {state.mocks.length === 0 ? (
        <p class="empty">No mocks yet. Create one with <strong>New mock</strong>, <code>mockd add</code> or <code>POST /mocks</code>.</p>
      ) : (
        <div class="table-wrap">
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
                <th>Calls</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {state.mocks.map((m) => {
                const n = liveConnectionsOf(state, m.id);
                const handler = handlers.get(m.id);
                const count = calls.get(m.id);
                return (
                  <tr key={m.id} data-mock-id={m.id}>
                    <td>
                      <input class="switch" type="checkbox" role="switch" aria-label={`Enable ${m.id}`} checked={m.enabled} onChange={(e) => {
                        (e.target as HTMLInputElement).checked = m.enabled;
                        toggle(m);
                      }} />
                    </td>
                    <td class="mono">{m.id}</td>
                    <td>{m.name}</td>
                    <td><span class={`tag ${typeLabel(m)}`}>{typeLabel(m)}</span>{isProxyMock(m) && <span class="tag proxy" data-proxy title="forwards to its upstream and records the traffic"> proxy</span>}</td>
                    <td class="mono">{mockTarget(m)}</td>
                    <td>{!m.enabled ? <span class="muted">disabled</span> : handler ? <span class={`status ${handler.status}`} title={handler.error}>{handler.status}</span> : 'serving'}</td>
                    <td data-col="connections">{protocolOfMock(m) ? n : '—'}</td>
                    <td data-col="calls" title={count?.lastCalledAt ? `last ${count.lastCalledAt}` : undefined}>
                      {count ? <>{count.callCount}{count.lastCalledAt && <span class="muted small"> · {formatAge(count.lastCalledAt, now)} ago</span>}</> : '…'}
                    </td>
                    <td class="actions">
                      <button type="button" onClick={() => onEdit({ id: m.id, title: `Edit ${m.name || m.id}`, draft: toDraft(m) })}>Edit</button>
                      <button type="button" onClick={() => onEdit({ title: `Duplicate ${m.name || m.id}`, draft: duplicateDraft(m) })}>Duplicate</button>
                      <button type="button" onClick={() => onShowJournal(m)}>Journal</button>
                      <button type="button" data-action="snapshot" title="Turn this mock's journaled traffic into mocks (POST /recordings/snapshot)" onClick={() => void snapshotMock(store, m)}>
                        {isProxyMock(m) ? 'Snapshot & stop' : 'Snapshot'}
                      </button>
                      {protocolOfMock(m) && <button type="button" onClick={() => onShowConnections(m)}>Connections</button>}
                      {n > 0 && <button type="button" class="danger" onClick={() => void closeConnectionsOfMock(store, m)}>Close all</button>}
                      <button type="button" class="danger" onClick={() => setPending({ kind: 'delete', mock: m, live: n })}>Delete</button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {pending && (
        <ConfirmDialog
          title={pending.kind === 'delete' ? `Delete ${pending.mock.name || pending.mock.id}?` : `Disable ${pending.mock.name || pending.mock.id}?`}
          confirmLabel={pending.kind === 'delete' ? 'Delete' : 'Disable'}
          onCancel={() => setPending(undefined)}
          onConfirm={() => {
            const { kind, mock } = pending;
            setPending(undefined);
            void (kind === 'delete' ? deleteMock(store, mock) : toggleMock(store, mock));
          }}
        >
          {pending.live > 0 ? (
            <p>This disconnects <strong data-disconnects>{pending.live}</strong> live client{pending.live === 1 ? '' : 's'} of this mock.</p>
          ) : (
            <p>No clients are connected to this mock.</p>
          )}
          {pending.kind === 'delete' && <p class="muted">The mock is removed for good; its journal entries stay.</p>}
        </ConfirmDialog>
      )}
    </div>
  );
}
