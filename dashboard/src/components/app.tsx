// The dashboard shell: header with the live-stream status, the Connections and Mocks views, notices and the API key
// form.

import { useMemo, useState } from 'preact/hooks';
import { apiKey } from '../api-key.ts';
import type { LiveStore } from '../live-store.ts';
import { useObservable } from '../observable.ts';
import { protocolOfMock } from '../protocols.ts';
import { ApiKeyForm } from './api-key-form.tsx';
import { ConnectionsView, type ConnectionsFilter } from './connections-view.tsx';
import { MocksView } from './mocks-view.tsx';
import { NoticeList } from './notice-list.tsx';

type View = 'connections' | 'mocks';

const STATUS_TEXT = { live: 'Live', connecting: 'Connecting…', offline: 'Offline' } as const;

export function App({ store }: { store: LiveStore }) {
  const state = useObservable(store);
  const prompt = useObservable(apiKey.prompt);
  const [view, setView] = useState<View>(location.hash === '#mocks' ? 'mocks' : 'connections');
  const [filter, setFilter] = useState<ConnectionsFilter>({ tab: 'all', search: '', mockId: '' });
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
          <a href="#connections" aria-current={view === 'connections' ? 'page' : undefined} onClick={(e) => { e.preventDefault(); show('connections'); }}>Connections</a>
          <a href="#mocks" aria-current={view === 'mocks' ? 'page' : undefined} onClick={(e) => { e.preventDefault(); show('mocks'); }}>Mocks</a>
        </nav>
        <span class={`live ${state.status}`} data-live={state.status}>{STATUS_TEXT[state.status]}</span>
      </header>
      {state.loadError && <p class="banner error">Admin API: {state.loadError}</p>}
      <main>
        {view === 'connections' ? (
          <ConnectionsView store={store} state={state} mocks={mocks} filter={filter} onFilter={setFilter} />
        ) : (
          <MocksView
            store={store}
            state={state}
            onShowConnections={(m) => {
              setFilter({ tab: protocolOfMock(m) ?? 'all', search: '', mockId: m.id });
              show('connections');
            }}
          />
        )}
      </main>
      <NoticeList />
      {prompt !== undefined && <ApiKeyForm reason={prompt} />}
    </>
  );
}
