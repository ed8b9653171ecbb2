// The Connections view: tabs per protocol plus All, stats cards, search and mock filter, the live table, the detail
// panel and the WebSocket send dialog. Closing a connection, or all of a mock's, asks for confirmation first.

import { useMemo, useState } from 'preact/hooks';
import { closeConnection, closeConnectionsOfMock } from '../actions.ts';
import type { DashboardState, LiveStore } from '../live-store.ts';
import { PROTOCOL_INFO, activeCount, type Row } from '../protocols.ts';
import { buildRows, filterRows, type Tab } from '../rows.ts';
import { PROTOCOLS, type Mock } from '../types.ts';
import { useNow } from '../use-now.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ConnectionTable } from './connection-table.tsx';
import { DetailPanel } from './detail-panel.tsx';
import { SendDialog } from './send-dialog.tsx';
import { StatsCards } from './stats-cards.tsx';
import { ThroughputCharts } from './throughput-charts.tsx';

export interface ConnectionsFilter {
  tab: Tab;
  search: string;
  mockId: string;
}

interface Props {
  store: LiveStore;
  state: DashboardState;
  mocks: Map<string, Mock>;
  filter: ConnectionsFilter;
  onFilter(filter: ConnectionsFilter): void;
}

const TABS: Tab[] = ['all', ...PROTOCOLS];

export function ConnectionsView({ store, state, mocks, filter, onFilter }: Props) {
  const now = useNow(1000);
  const [selected, setSelected] = useState<{ protocol: Row['protocol']; id: string }>();
  const [sendTo, setSendTo] = useState<string>();
  const [closing, setClosing] = useState<{ row: Row } | { mock: Mock }>();
  const { tab, search, mockId } = filter;

  const rows = useMemo(() => filterRows(buildRows(state, tab), search, mockId, mocks), [state, tab, search, mockId, mocks]);
  const selectedRow = selected && buildRows(state, selected.protocol).find((r) => r.id === selected.id);
  const mockChoices = state.mocks.filter((m) => tab === 'all' ? PROTOCOLS.some((p) => PROTOCOL_INFO[p].serves(m)) : PROTOCOL_INFO[tab].serves(m));
  const filterMock = mockId ? mocks.get(mockId) : undefined;
  const count = (t: Tab) => (t === 'all' ? PROTOCOLS.reduce((n, p) => n + state.connections[p].length, 0) : state.connections[t].length);

  return (
    <div class="connections-view">
      <nav class="tabs" role="tablist">
        {TABS.map((t) => (
          <button type="button" role="tab" aria-selected={t === tab} key={t} data-tab={t} onClick={() => onFilter({ ...filter, tab: t })}>
            {t === 'all' ? 'All' : PROTOCOL_INFO[t].label} <span class="count">{count(t)}</span>
          </button>
        ))}
      </nav>
      <StatsCards stats={state.stats} tab={tab} onSelect={(t) => onFilter({ ...filter, tab: t })} />
      <ThroughputCharts store={store.throughput} />
      <div class="toolbar">
        <input type="search" placeholder="Search id, mock, path, topic, method, client…" aria-label="Search" value={search}
          onInput={(e) => onFilter({ ...filter, search: (e.target as HTMLInputElement).value })} />
        <select aria-label="Filter by mock" value={mockId} onChange={(e) => onFilter({ ...filter, mockId: (e.target as HTMLSelectElement).value })}>
          <option value="">All mocks</option>
          {mockChoices.map((m) => <option value={m.id} key={m.id}>{m.name ? `${m.name} (${m.id})` : m.id}</option>)}
        </select>
        {filterMock && (
          <button type="button" class="danger" onClick={() => setClosing({ mock: filterMock })}>
            Close all of this mock
          </button>
        )}
        <span class="muted small">{rows.length} shown · {PROTOCOLS.reduce((n, p) => n + activeCount(state.stats[p]), 0)} active</span>
      </div>
      <div class={`split${selected ? ' with-detail' : ''}`}>
        <ConnectionTable
          rows={rows}
          mocks={mocks}
          now={now}
          showProtocol={tab === 'all'}
          targetLabel={tab === 'all' ? 'Path / topic / method' : PROTOCOL_INFO[tab].targetLabel}
          selectedId={selected?.id}
          onSelect={(r) => setSelected({ protocol: r.protocol, id: r.id })}
          onClose={(r) => setClosing({ row: r })}
          onSend={(r) => setSendTo(r.id)}
        />
        {selected && (
          <DetailPanel
            store={store}
            row={selectedRow}
            selectedId={selected.id}
            mock={selectedRow ? mocks.get(selectedRow.mockId) : undefined}
            now={now}
            onClose={(r) => setClosing({ row: r })}
            onSend={(r) => setSendTo(r.id)}
            onCloseMock={(m) => setClosing({ mock: m })}
            onDismiss={() => setSelected(undefined)}
          />
        )}
      </div>
      {sendTo && <SendDialog connectionId={sendTo} onDone={() => setSendTo(undefined)} />}
      {closing && (
        <ConfirmDialog
          title={'row' in closing ? `Close ${closing.row.id}?` : `Close all connections of ${closing.mock.name || closing.mock.id}?`}
          confirmLabel={'row' in closing ? 'Close connection' : 'Close all'}
          onCancel={() => setClosing(undefined)}
          onConfirm={() => {
            setClosing(undefined);
            void ('row' in closing ? closeConnection(store, closing.row.protocol, closing.row.id) : closeConnectionsOfMock(store, closing.mock));
          }}
        >
          {'row' in closing ? (
            <p>The {PROTOCOL_INFO[closing.row.protocol].label} client{closing.row.client ? <> at <code>{closing.row.client}</code></> : ''} is disconnected now.</p>
          ) : (
            <p>Every live client of this mock is disconnected now.</p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}
