// The live table of connections. Rows carry `data-conn-id`, `data-protocol` and `data-conn-mock` so tools and tests
// can find a connection without depending on the layout.

import { Fragment } from 'preact';
import { formatAge } from '../format.ts';
import { PROTOCOL_INFO, type Row } from '../protocols.ts';
import type { Mock } from '../types.ts';

/** Lets long paths, topics and methods wrap after `/`, `.` and `,` rather than anywhere. */
function breakable(text: string) {
  return text.split(/(?<=[/.,])/).map((part, i) => (
    <Fragment key={i}>
      {part}
      <wbr />
    </Fragment>
  ));
}

interface Props {
  rows: Row[];
  mocks: Map<string, Mock>;
  showProtocol: boolean;
  targetLabel: string;
  selectedId?: string;
  now: number;
  onSelect(row: Row): void;
  onClose(row: Row): void;
  onSend(row: Row): void;
}

export function ConnectionTable({ rows, mocks, showProtocol, targetLabel, selectedId, now, onSelect, onClose, onSend }: Props) {
  if (rows.length === 0) return <p class="empty">No live connections</p>;
  // A pool of more than one member names the worker of each connection (README "Workers"); a pool of one has no column.
  const pooled = rows.some((r) => r.worker !== undefined);
  return (
    <div class="table-wrap">
    <table class="connections">
      <thead>
        <tr>
          <th>ID</th>
          <th>Mock</th>
          <th>{targetLabel}</th>
          <th>Client</th>
          <th>Connected for</th>
          <th>Counters</th>
          <th>Status</th>
          {pooled && <th>Worker</th>}
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const mock = mocks.get(r.mockId);
          return (
            <tr
              key={`${r.protocol}:${r.id}`}
              data-conn-id={r.id}
              data-protocol={r.protocol}
              data-conn-mock={r.mockId}
              class={r.id === selectedId ? 'selected' : undefined}
              onClick={() => onSelect(r)}
            >
              <td class="id">
                <div class="mono">{r.id}</div>
                {showProtocol && <span class={`tag ${r.protocol}`}>{PROTOCOL_INFO[r.protocol].label}</span>}
              </td>
              <td>
                {mock?.name ? <div>{mock.name}</div> : null}
                <div class="mono small">{r.mockId}</div>
              </td>
              <td class="mono target">{breakable(r.target)}</td>
              <td class="mono">{r.client || '—'}</td>
              <td>{formatAge(r.connectedAt, now)}</td>
              <td data-col="counters">{r.counters}</td>
              <td><span class="status">{r.status}</span></td>
              {pooled && <td class="mono" data-col="worker">{r.worker ?? '—'}</td>}
              <td class="actions" onClick={(e) => e.stopPropagation()}>
                {r.protocol === 'websocket' && (
                  <button type="button" onClick={() => onSend(r)}>Send</button>
                )}
                <button type="button" class="danger" onClick={() => onClose(r)}>Close</button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
    </div>
  );
}
