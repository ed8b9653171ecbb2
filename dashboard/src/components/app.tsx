// The dashboard shell: header with the live-stream status, the Connections, Mocks and Journal views, the mock
// editor, notices and the API key form.

import { useMemo, useState } from 'preact/hooks';
import { apiKey } from '../api-key.ts';
import type { LiveStore } from '../live-store.ts';
import { useObservable } from '../observable.ts';
import { protocolOfMock } from '../protocols.ts';
import { ApiKeyForm } from './api-key-form.tsx';
import { ConnectionsView, type ConnectionsFilter } from './connections-view.tsx';
import { MockEditor, type EditorTarget } from '../editor/mock-editor.tsx';
import { liveConnectionsOf } from '../mock-actions.ts';
import { JournalView, type JournalFilter } from './journal-view.tsx';
import { MocksView } from './mocks-view.tsx';
import { NoticeList } from './notice-list.tsx';

type View = 'connections' | 'mocks' | 'journal';
const VIEWS: [View, string][] = [['connections', 'Connections'], ['mocks', 'Mocks'], ['journal', 'Journal']];

function viewOfHash(): View {
  return VIEWS.find(([v]) => location.hash === `#${v}`)?.[0] ?? 'connections';
}

const STATUS_TEXT = { live: 'Live', connecting: 'Connecting…', offline: 'Offline' } as const;

export function App({ store }: { store: LiveStore }) {
  const state = useObservable(store);
  const prompt = useObservable(apiKey.prompt);
  const [view, setView] = useState<View>(viewOfHash);
  const [filter, setFilter] = useState<ConnectionsFilter>({ tab: 'all', search: '', mockId: '' });
  const [journalFilter, setJournalFilter] = useState<JournalFilter>({});
  const [editing, setEditing] = useState<EditorTarget>();
  const mocks = useMemo(() => new Map(state.mocks.map((m) => [m.id, m])), [state.mocks]);

  const show = (v: View) => {
    setView(v);
    history.replaceState(null, '', `#${v}`);
  };

  return (
    <>
      <header class="top">
        <h1>mockd</h1>
        <nav>
          {VIEWS.map(([v, label]) => (
            <a key={v} href={`#${v}`} aria-current={view === v ? 'page' : undefined} onClick={(e) => { e.preventDefault(); show(v); }}>{label}</a>
          ))}
        </nav>
        <span class={`live ${state.status}`} data-live={state.status}>{STATUS_TEXT[state.status]}</span>
      </header>
      {state.loadError && <p class="banner error">Admin API: {state.loadError}</p>}
      <main>
        {view === 'connections' && <ConnectionsView store={store} state={state} mocks={mocks} filter={filter} onFilter={setFilter} />}
        {view === 'mocks' && (
          <MocksView
            store={store}
            state={state}
            onEdit={setEditing}
            onShowConnections={(m) => {
              setFilter({ tab: protocolOfMock(m) ?? 'all', search: '', mockId: m.id });
              show('connections');
            }}
            onShowJournal={(m) => {
              setJournalFilter({ mockId: m.id });
              show('journal');
            }}
          />
        )}
        {view === 'journal' && <JournalView store={store} state={state} mocks={mocks} filter={journalFilter} onFilter={setJournalFilter} onEdit={setEditing} />}
      </main>
      {editing && (
        <div class="overlay editor-overlay">
          <MockEditor target={editing} mocks={state.mocks} liveCount={(id) => liveConnectionsOf(state, id)} onDone={() => setEditing(undefined)} />
        </div>
      )}
      <NoticeList />
      {prompt !== undefined && <ApiKeyForm reason={prompt} />}
    </>
  );
}
