// The Journal view (contract §12): what every protocol received and sent, newest first, live from `/events`, with
// filters (protocol, mock, matched, path, method, topic on the server; the time range here) and a detail pane.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { EditorTarget } from '../editor/mock-editor.tsx';
import { JournalFeed } from '../journal-feed.ts';
import { summarize } from '../journal-summary.ts';
import { JOURNAL_PROTOCOLS, type JournalEntry, type JournalQuery } from '../journal-types.ts';
import type { DashboardState, LiveStore } from '../live-store.ts';
import { useObservable } from '../observable.ts';
import type { Mock } from '../types.ts';
import { JournalDetail } from './journal-detail.tsx';

export interface JournalFilter extends JournalQuery {
  /** `''` any time, `5m` the last five minutes, …, or `custom` with `from`/`to` (datetime-local values). */
  range?: string;
  from?: string;
  to?: string;
}

const RANGES: [string, string, number][] = [
  ['', 'Any time', 0],
  ['1m', 'Last minute', 60_000],
  ['5m', 'Last 5 minutes', 300_000],
  ['1h', 'Last hour', 3_600_000],
  ['custom', 'Between…', 0],
];

interface Props {
  store: LiveStore;
  state: DashboardState;
  mocks: Map<string, Mock>;
  filter: JournalFilter;
  onFilter(filter: JournalFilter): void;
  onEdit(target: EditorTarget): void;
}

function serverQuery(f: JournalFilter): JournalQuery {
  return { protocol: f.protocol, mockId: f.mockId, matched: f.matched, path: f.path, method: f.method, topic: f.topic };
}

/** Keeps entries inside the time range; a range is a client-side cut, as the journal routes have none. */
export function inRange(e: JournalEntry, f: JournalFilter, now: number): boolean {
  const t = Date.parse(e.timestamp);
  const preset = RANGES.find(([k]) => k === f.range);
  if (preset && preset[2] > 0) return t >= now - preset[2];
  if (f.range === 'custom') {
    if (f.from && t < new Date(f.from).getTime()) return false;
    if (f.to && t > new Date(f.to).getTime()) return false;
  }
  return true;
}

function timeOf(iso: string): string {
  const d = new Date(iso);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** A text filter applied when typing pauses, so each key does not refetch. */
function TextFilter({ label, value, placeholder, onChange }: { label: string; value?: string; placeholder: string; onChange(v: string): void }) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  useEffect(() => {
    if (text === (value ?? '')) return;
    const timer = setTimeout(() => onChange(text), 300);
    return () => clearTimeout(timer);
  }, [text]);
  return <input type="search" aria-label={label} placeholder={placeholder} value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />;
}

export function JournalView({ store, state, mocks, filter, onFilter, onEdit }: Props) {
  const feed = useMemo(() => new JournalFeed(store, 500), [store]);
  const query = JSON.stringify(serverQuery(filter));
  useEffect(() => () => feed.stop(), [feed]);
  useEffect(() => feed.start(JSON.parse(query) as JournalQuery), [feed, query]);
  const { entries, total, loaded, error } = useObservable(feed);
  const [selected, setSelected] = useState<string>();
  const now = Date.now();
  const shown = entries.filter((e) => inRange(e, filter, now)).reverse();
  const selectedEntry = selected ? entries.find((e) => e.id === selected) : undefined;
  // Text filters apply after a pause, from a closure of an earlier render: patches go onto the newest filter.
  const latest = useRef(filter);
  latest.current = filter;
  const set = (patch: Partial<JournalFilter>) => onFilter({ ...latest.current, ...patch });

  return (
    <div class="journal-view">
      <div class="toolbar filters" aria-label="Journal filters">
        <select aria-label="Protocol" value={filter.protocol ?? ''} onChange={(e) => set({ protocol: (e.target as HTMLSelectElement).value })}>
          <option value="">All protocols</option>
          {JOURNAL_PROTOCOLS.map((p) => <option value={p} key={p}>{p}</option>)}
        </select>
        <select aria-label="Mock" value={filter.mockId ?? ''} onChange={(e) => set({ mockId: (e.target as HTMLSelectElement).value })}>
          <option value="">All mocks</option>
          {state.mocks.map((m) => <option value={m.id} key={m.id}>{m.name ? `${m.name} (${m.id})` : m.id}</option>)}
        </select>
        <select aria-label="Matched" value={filter.matched ?? ''} onChange={(e) => set({ matched: (e.target as HTMLSelectElement).value })}>
          <option value="">Matched or not</option>
          <option value="true">Matched</option>
          <option value="false">Unmatched</option>
        </select>
        <TextFilter label="Path" placeholder="Path /users" value={filter.path} onChange={(path) => set({ path })} />
        <TextFilter label="Method" placeholder="Method GET or /pkg.Svc/M" value={filter.method} onChange={(method) => set({ method })} />
        <TextFilter label="Topic" placeholder="Topic a/b" value={filter.topic} onChange={(topic) => set({ topic })} />
        <select aria-label="Time range" value={filter.range ?? ''} onChange={(e) => set({ range: (e.target as HTMLSelectElement).value })}>
          {RANGES.map(([k, label]) => <option value={k} key={k}>{label}</option>)}
        </select>
        {filter.range === 'custom' && (
          <>
            <input type="datetime-local" step="1" aria-label="From" value={filter.from ?? ''} onInput={(e) => set({ from: (e.target as HTMLInputElement).value })} />
            <input type="datetime-local" step="1" aria-label="To" value={filter.to ?? ''} onInput={(e) => set({ to: (e.target as HTMLInputElement).value })} />
          </>
        )}
        <span class="muted small" data-journal-count>{shown.length} shown · {total} matching</span>
      </div>
      {error && <p class="banner error">Journal: {error}</p>}
      <div class={`split${selectedEntry ? ' with-detail wide-detail' : ''}`}>
        {loaded && shown.length === 0 ? (
          <p class="empty">Nothing recorded{filter.protocol || filter.mockId || filter.matched || filter.path || filter.method || filter.topic || filter.range ? ' that matches these filters' : ' yet'}.</p>
        ) : (
          <div class="table-wrap">
            <table class="journal">
              <thead>
                <tr><th>Time</th><th>Protocol</th><th>Mock</th><th>Summary</th></tr>
              </thead>
              <tbody>
                {shown.map((e) => (
                  <tr key={e.id} data-entry-id={e.id} class={`${e.id === selected ? 'selected' : ''}${e.matched ? '' : ' unmatched'}`} onClick={() => setSelected(e.id)}>
                    <td class="mono nowrap" title={e.timestamp}>{timeOf(e.timestamp)}</td>
                    <td><span class={`tag ${e.protocol}`}>{e.protocol}</span></td>
                    <td class="mono">{e.mockId ? (mocks.get(e.mockId)?.name || e.mockId) : <span class="muted">unmatched</span>}</td>
                    <td class="mono summary">{summarize(e)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {selectedEntry && <JournalDetail entry={selectedEntry} mocks={mocks} onEdit={onEdit} onDismiss={() => setSelected(undefined)} />}
      </div>
    </div>
  );
}
