// Creating and editing a mock of any kind (contract §2–§7) through the admin routes: `POST /mocks` for a new mock,
// `PUT /mocks/{id}` for an edit. The form and the JSON/YAML editor edit one draft. A validation error is shown at
// its field; an answer's `warnings` (fields the server dropped) are shown after saving. A change that will
// disconnect live clients (§9.6) says how many and asks before it is saved.

import { useState } from 'preact/hooks';
import { api, ApiError, describeError } from '../api.ts';
import { notify } from '../notices.ts';
import type { Mock } from '../types.ts';
import { CodeEditor, type CodeMode } from './code-editor.tsx';
import { KIND_LABELS, MOCK_KINDS, getIn, kindOf, newDraft, type Draft, type MockKind } from './draft.ts';
import { FormContext, type FieldError } from './fields.tsx';
import { ProtocolForm } from './protocol-forms.tsx';

export interface EditorTarget {
  /** The stored mock being edited; absent for a new mock. */
  id?: string;
  draft: Draft;
  title: string;
}

interface Props {
  target: EditorTarget;
  mocks: Mock[];
  /** Live connections of a mock, from the stats' connectionsByMock. */
  liveCount(mockId: string): number;
  onDone(): void;
}

type WriteAnswer = { id?: string; action: string; message?: string; mock: Mock; warnings?: string[]; targetMockId?: string };

/**
 * The stored mock whose clients this save disconnects: the mock itself on an edit, or on a create the MQTT or gRPC
 * mock already on the same non-zero port, which the create merges into (§6, §7).
 */
export function affectedMock(target: EditorTarget, draft: Draft, mocks: Mock[]): Mock | undefined {
  if (target.id) return mocks.find((m) => m.id === target.id);
  const type = draft.type as string | undefined;
  if (type !== 'mqtt' && type !== 'grpc') return undefined;
  const port = Number(getIn(draft, `${type}.port`));
  if (!port) return undefined;
  return mocks.find((m) => m.type === type && (m[type] as { port?: number } | undefined)?.port === port);
}

export function MockEditor({ target, mocks, liveCount, onDone }: Props) {
  const [draft, setDraft] = useState<Draft>(target.draft);
  const [tab, setTab] = useState<'form' | CodeMode>('form');
  const [parsed, setParsed] = useState(true);
  const [error, setError] = useState<FieldError>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [saved, setSaved] = useState<WriteAnswer>();
  const kind = kindOf(draft);

  const affected = affectedMock(target, draft, mocks);
  const disconnects = affected ? liveCount(affected.id) : 0;

  const save = async (confirmed: boolean) => {
    if (disconnects > 0 && !confirmed) return setConfirming(true);
    setConfirming(false);
    setBusy(true);
    setError(undefined);
    try {
      const answer = target.id
        ? await api<WriteAnswer>(`/mocks/${encodeURIComponent(target.id)}`, { method: 'PUT', body: draft })
        : await api<WriteAnswer>('/mocks', { method: 'POST', body: draft });
      const id = answer.mock.id;
      const what = answer.action === 'merged' ? `Merged into ${answer.targetMockId}` : target.id ? `Updated ${id}` : `Created ${id}`;
      if (answer.warnings?.length) setSaved(answer);
      else {
        notify('info', what);
        onDone();
      }
    } catch (err) {
      setError(err instanceof ApiError ? { field: err.field, message: err.message } : { message: describeError(err) });
    } finally {
      setBusy(false);
    }
  };

  if (saved) {
    return (
      <section class="editor" aria-label="Mock editor">
        <header><h2>Saved {saved.mock.id}</h2></header>
        <div class="warnings" role="status">
          <p>The server saved the mock but dropped fields it does not know:</p>
          <ul>{saved.warnings!.map((w) => <li class="mono" key={w}>{w}</li>)}</ul>
        </div>
        <div class="buttons"><button type="button" class="primary" onClick={onDone}>Close</button></div>
      </section>
    );
  }

  return (
    <section class="editor" aria-label="Mock editor">
      <header>
        <h2>{target.title}</h2>
        <button type="button" class="plain" aria-label="Close editor" onClick={onDone}>×</button>
      </header>
      {!target.id && (
        <nav class="kinds" aria-label="Kind of mock">
          {MOCK_KINDS.map((k) => (
            <button type="button" key={k} aria-pressed={k === kind} onClick={() => k !== kind && setDraft({ ...newDraft(k), name: draft.name })}>
              {KIND_LABELS[k]}
            </button>
          ))}
        </nav>
      )}
      <nav class="tabs" role="tablist">
        {(['form', 'json', 'yaml'] as const).map((t) => (
          <button type="button" role="tab" key={t} aria-selected={t === tab} disabled={!parsed && t !== tab} onClick={() => setTab(t)}>
            {t === 'form' ? `${KIND_LABELS[kind]} form` : t.toUpperCase()}
          </button>
        ))}
      </nav>
      {tab === 'form' ? (
        <FormContext.Provider value={{ draft, setDraft, error }}>
          {error && (
            <p class="error" role="alert" data-error-field={error.field ?? ''}>{error.message}</p>
          )}
          <ProtocolForm kind={kind as MockKind} />
        </FormContext.Provider>
      ) : (
        <CodeEditor key={tab} draft={draft} mode={tab} error={error} onDraft={setDraft} onParsed={setParsed} />
      )}
      {confirming && affected && (
        <div class="confirm-bar" role="alertdialog" aria-label="Confirm disconnect">
          <p>
            Saving will disconnect <strong data-disconnects>{disconnects}</strong> live client{disconnects === 1 ? '' : 's'} of{' '}
            <strong>{affected.name || affected.id}</strong>; they see their protocol's goodbye and may reconnect to the new version.
          </p>
          <div class="buttons">
            <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
            <button type="button" class="primary" onClick={() => void save(true)}>Save and disconnect {disconnects}</button>
          </div>
        </div>
      )}
      <div class="buttons">
        {disconnects > 0 && !confirming && <span class="muted small">{disconnects} live client{disconnects === 1 ? '' : 's'} will be disconnected</span>}
        <button type="button" onClick={onDone}>Cancel</button>
        <button type="button" class="primary" disabled={busy || !parsed} onClick={() => void save(false)}>{target.id ? 'Save' : 'Create'}</button>
      </div>
    </section>
  );
}
