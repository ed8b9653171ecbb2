// One journal entry in full (contract §12): its protocol block, headers or metadata, the body pretty-printed, and
// for an unmatched HTTP request the near misses (§3.1) with "Create mock from this request".

import { draftFromRequest, toDraft } from '../editor/draft.ts';
import type { EditorTarget } from '../editor/mock-editor.tsx';
import { grpcCodeName, prettyBody } from '../journal-summary.ts';
import type { JournalEntry } from '../journal-types.ts';
import type { Mock } from '../types.ts';

interface Props {
  entry: JournalEntry;
  mocks: Map<string, Mock>;
  onEdit(target: EditorTarget): void;
  onDismiss(): void;
}

function Fields({ fields }: { fields: [string, unknown][] }) {
  return (
    <dl class="fields">
      {fields.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => (
        <div key={k} data-field={k}>
          <dt>{k}</dt>
          <dd class="mono">{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Table({ title, values }: { title: string; values?: Record<string, string> }) {
  const rows = Object.entries(values ?? {});
  if (rows.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <table class="kv-table" data-section={title.toLowerCase()}>
        <tbody>{rows.map(([k, v]) => <tr key={k}><th class="mono">{k}</th><td class="mono">{v}</td></tr>)}</tbody>
      </table>
    </>
  );
}

function Body({ title, body, encoding }: { title: string; body: unknown; encoding?: string }) {
  const text = prettyBody(body);
  return (
    <>
      <h3>{title}{encoding && <span class="muted small"> ({encoding})</span>}</h3>
      {text ? <pre class="body" data-section="body">{text}</pre> : <p class="muted">empty</p>}
    </>
  );
}

export function JournalDetail({ entry: e, mocks, onEdit, onDismiss }: Props) {
  const mock = e.mockId ? mocks.get(e.mockId) : undefined;
  return (
    <aside class="detail journal-detail" aria-label="Entry detail">
      <header>
        <h2 class="mono">{e.id}</h2>
        <button type="button" class="plain" aria-label="Close panel" onClick={onDismiss}>×</button>
      </header>
      <p>
        <span class={`tag ${e.protocol}`}>{e.protocol}</span> {e.matched ? 'matched' : <strong class="danger-text">unmatched</strong>}
        {e.mockId && <> · mock <strong>{mock?.name || e.mockId}</strong></>}
        {e.bodyTruncated && <span class="muted"> · body truncated at 64 KiB</span>}
      </p>
      <Fields fields={[['timestamp', e.timestamp]]} />
      {e.http && (
        <>
          <Fields fields={[['method', e.http.method], ['path', e.http.path], ['statusCode', e.http.statusCode], ['durationMs', Math.round(e.http.durationMs * 10) / 10]]} />
          <Table title="Query" values={e.http.query} />
          <Table title="Headers" values={e.http.headers} />
          <Body title="Body" body={e.http.body} />
          {!e.matched && (
            <>
              <h3>Near misses</h3>
              {(e.http.nearMisses ?? []).length === 0 ? (
                <p class="muted">No mock matched any criterion of this request.</p>
              ) : (
                <ul class="near-misses">
                  {e.http.nearMisses!.map((n) => (
                    <li key={n.mockId}>
                      <strong>{n.matchPercentage}%</strong> <span class="mono">{n.mockName || n.mockId}</span>: {n.reason}
                      {mocks.get(n.mockId) && (
                        <button type="button" class="link" onClick={() => onEdit({ id: n.mockId, title: `Edit ${n.mockName || n.mockId}`, draft: toDraft(mocks.get(n.mockId)!) })}>Edit</button>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              <div class="buttons">
                <button type="button" class="primary" onClick={() => onEdit({ title: 'New mock from request', draft: draftFromRequest(e) })}>Create mock from this request</button>
              </div>
            </>
          )}
        </>
      )}
      {e.websocket && (
        <>
          <Fields fields={[['connectionId', e.websocket.connectionId], ['direction', e.websocket.direction], ['messageType', e.websocket.messageType]]} />
          <Body title={e.websocket.messageType === 'binary' ? 'Data (base64)' : 'Data'} body={e.websocket.data} />
        </>
      )}
      {e.sse && (
        <>
          <Fields fields={[['connectionId', e.sse.connectionId], ['kind', e.sse.kind], ['eventType', e.sse.eventType], ['eventId', e.sse.eventId]]} />
          {e.sse.kind === 'event' && <Body title="Data" body={e.sse.data} />}
        </>
      )}
      {e.mqtt && (
        <>
          <Fields fields={[['clientId', e.mqtt.clientId], ['direction', e.mqtt.direction], ['topic', e.mqtt.topic], ['qos', e.mqtt.qos], ['retain', e.mqtt.retain]]} />
          <Body title="Payload" body={e.mqtt.payload} encoding={e.mqtt.payloadEncoding} />
        </>
      )}
      {e.grpc && (
        <>
          <Fields fields={[['method', e.grpc.method], ['streamType', e.grpc.streamType], ['streamId', e.grpc.streamId], ['kind', e.grpc.kind], ['direction', e.grpc.direction], ['status', e.grpc.statusCode === undefined ? undefined : `${e.grpc.statusCode} ${grpcCodeName(e.grpc.statusCode)}`]]} />
          <Table title="Metadata" values={e.grpc.metadata} />
          {e.grpc.body !== undefined && <Body title="Body" body={e.grpc.body} />}
        </>
      )}
      {mock && (
        <div class="buttons">
          <button type="button" onClick={() => onEdit({ id: mock.id, title: `Edit ${mock.name || mock.id}`, draft: toDraft(mock) })}>Edit mock</button>
        </div>
      )}
    </aside>
  );
}
