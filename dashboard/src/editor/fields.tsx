// Form inputs bound to one path of the draft (see draft.ts). Each shows the admin API's validation error when its
// `field` is this path or lies inside it, so `http.response.statusCode: must be between 100 and 599` appears under
// the status input.

import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { getIn, isErrorAt, setIn, toApiField, type Draft } from './draft.ts';

export interface FieldError {
  field?: string;
  message: string;
}

export interface FormState {
  draft: Draft;
  /** A new draft, or an update of the latest one (two edits between renders must not undo each other). */
  setDraft(next: Draft | ((latest: Draft) => Draft)): void;
  error?: FieldError;
}

export const FormContext = createContext<FormState>(null as unknown as FormState);

function useField(path: string) {
  const form = useContext(FormContext);
  const value = getIn(form.draft, path);
  const set = (next: unknown) => form.setDraft(setIn(form.draft, path, next));
  const error = form.error && isErrorAt(form.error.field, toApiField(path)) ? form.error.message : undefined;
  return { value, set, error, form };
}

function ErrorText({ error }: { error?: string }) {
  return error ? <span class="field-error">{error}</span> : null;
}

type Kind = 'text' | 'number' | 'checkbox' | 'select' | 'textarea' | 'list';

interface FieldProps {
  path: string;
  label: string;
  kind?: Kind;
  options?: readonly (string | [string, string])[];
  placeholder?: string;
  hint?: string;
  wide?: boolean;
  /** A select whose values are numbers (MQTT QoS). */
  numeric?: boolean;
}

/** One scalar input. Empty text or number inputs remove the key, so the schema's default applies. */
export function Field({ path, label, kind = 'text', options = [], placeholder, hint, wide, numeric }: FieldProps) {
  const { value, set, error } = useField(path);
  const cls = `field${wide ? ' wide' : ''}${error ? ' invalid' : ''}`;
  if (kind === 'checkbox') {
    return (
      <label class={`${cls} check`} data-field={toApiField(path)}>
        <input type="checkbox" checked={value === true} onChange={(e) => set((e.target as HTMLInputElement).checked)} /> {label}
        <ErrorText error={error} />
      </label>
    );
  }
  const onText = (text: string) => {
    if (kind === 'number' || (numeric && text !== '')) set(text === '' ? undefined : Number.isNaN(Number(text)) ? text : Number(text));
    else if (kind === 'list') set(text.trim() === '' ? undefined : text.split(',').map((s) => s.trim()).filter(Boolean));
    else set(text === '' ? undefined : text);
  };
  const text = kind === 'list' && Array.isArray(value) ? value.join(', ') : value === undefined || value === null ? '' : String(value);
  return (
    <label class={cls} data-field={toApiField(path)}>
      <span class="field-label">{label}</span>
      {kind === 'select' ? (
        <select value={text} onChange={(e) => onText((e.target as HTMLSelectElement).value)}>
          {options.map((o) => {
            const [v, l] = typeof o === 'string' ? [o, o || 'any'] : o;
            return <option value={v} key={v}>{l}</option>;
          })}
        </select>
      ) : kind === 'textarea' ? (
        <textarea rows={4} value={text} placeholder={placeholder} onInput={(e) => onText((e.target as HTMLTextAreaElement).value)} />
      ) : (
        kind === 'number' ? (
          <input type="number" value={text} placeholder={placeholder} onInput={(e) => onText((e.target as HTMLInputElement).value)} />
        ) : (
          <input type="text" value={text} placeholder={placeholder} onInput={(e) => onText((e.target as HTMLInputElement).value)} />
        )
      )}
      {hint && <span class="hint">{hint}</span>}
      <ErrorText error={error} />
    </label>
  );
}

function toText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/**
 * A body or payload: text, or any JSON value. A value stored as JSON stays JSON while the text parses (`json`
 * forces JSON, as a gRPC response must be an object); otherwise it is kept as the text typed.
 */
export function ValueField({ path, label, json = false, rows = 4 }: { path: string; label: string; json?: boolean; rows?: number }) {
  const { value, set, error } = useField(path);
  const [text, setText] = useState(toText(value));
  const [local, setLocal] = useState<string>();
  useEffect(() => {
    let same = false;
    try {
      same = JSON.stringify(value) === JSON.stringify(typeof value === 'string' ? text : JSON.parse(text));
    } catch {
      same = false;
    }
    if (!same && local === undefined) setText(toText(value));
  }, [value]);
  const onInput = (next: string) => {
    setText(next);
    if (next === '') {
      setLocal(undefined);
      return set(undefined);
    }
    if (json || (value !== undefined && typeof value !== 'string')) {
      try {
        set(JSON.parse(next));
        setLocal(undefined);
        return;
      } catch {
        if (json) return setLocal('not valid JSON yet');
      }
    }
    setLocal(undefined);
    set(next);
  };
  return (
    <label class={`field wide${error || local ? ' invalid' : ''}`} data-field={toApiField(path)}>
      <span class="field-label">{label}</span>
      <textarea rows={rows} class="mono" value={text} onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)} />
      <ErrorText error={error ?? local} />
    </label>
  );
}

/** A map of strings (headers, query parameters, metadata) as rows of name and value. */
export function KeyValueField({ path, label, keyLabel = 'Name' }: { path: string; label: string; keyLabel?: string }) {
  const { value, set, error } = useField(path);
  const fromValue = () => Object.entries((value as Record<string, string> | undefined) ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
  const [rows, setRows] = useState<[string, string][]>(fromValue);
  useEffect(() => {
    const current = JSON.stringify(Object.fromEntries(rows.filter(([k]) => k)));
    if (current !== JSON.stringify(value ?? {})) setRows(fromValue());
  }, [value]);
  const update = (next: [string, string][]) => {
    setRows(next);
    const kept = next.filter(([k]) => k !== '');
    set(kept.length === 0 ? undefined : Object.fromEntries(kept));
  };
  return (
    <fieldset class={`kv${error ? ' invalid' : ''}`} data-field={toApiField(path)}>
      <legend>{label}</legend>
      {rows.map(([k, v], i) => (
        <div class="kv-row" key={i}>
          <input aria-label={`${label} ${keyLabel.toLowerCase()} ${i + 1}`} placeholder={keyLabel} value={k} onInput={(e) => update(rows.map((r, j) => (j === i ? [(e.target as HTMLInputElement).value, r[1]] : r)))} />
          <input aria-label={`${label} value ${i + 1}`} placeholder="Value" value={v} onInput={(e) => update(rows.map((r, j) => (j === i ? [r[0], (e.target as HTMLInputElement).value] : r)))} />
          <button type="button" class="plain" aria-label={`Remove ${label} ${i + 1}`} onClick={() => update(rows.filter((_, j) => j !== i))}>×</button>
        </div>
      ))}
      <button type="button" class="add" onClick={() => setRows([...rows, ['', '']])}>Add {keyLabel.toLowerCase()}</button>
      <ErrorText error={error} />
    </fieldset>
  );
}

/** An array of objects, each edited by `children(itemPath, index)`. */
export function ListField({ path, label, itemLabel, newItem, children }: {
  path: string;
  label: string;
  itemLabel: string;
  newItem: () => unknown;
  children: (itemPath: string, index: number) => ComponentChildren;
}) {
  const { value, set, form } = useField(path);
  const error = form.error?.field === toApiField(path) ? form.error.message : undefined;
  const items = Array.isArray(value) ? value : [];
  return (
    <fieldset class={`list${error ? ' invalid' : ''}`} data-field={toApiField(path)}>
      <legend>{label}</legend>
      {items.map((_, i) => (
        <div class="list-item" key={i}>
          <div class="list-fields">{children(`${path}[${i}]`, i)}</div>
          <button type="button" class="plain" aria-label={`Remove ${itemLabel} ${i + 1}`} onClick={() => set(items.length === 1 ? undefined : items.filter((_, j) => j !== i))}>×</button>
        </div>
      ))}
      <button type="button" class="add" onClick={() => set([...items, newItem()])}>Add {itemLabel}</button>
      <ErrorText error={error} />
    </fieldset>
  );
}

export function Row({ children }: { children: ComponentChildren }) {
  return <div class="form-row">{children}</div>;
}
