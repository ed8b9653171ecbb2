// The gRPC form (contract §7): port, the proto (uploaded into `protoContent`, or a path on the server in
// `protoFile`), reflection, and one row per configured method with its response. Services and methods of an
// uploaded proto are offered as suggestions.

import { useContext, useEffect, useState } from 'preact/hooks';
import { getIn, keySegment, setIn } from './draft.ts';
import { Field, FormContext, Row, ValueField } from './fields.tsx';
import { scanProto } from './proto-scan.ts';

type Services = Record<string, { methods?: Record<string, Record<string, unknown>> }>;

function ProtoSource() {
  const form = useContext(FormContext);
  const upload = getIn(form.draft, 'grpc.protoContent') !== undefined;
  const useUpload = (on: boolean) => {
    let d = setIn(setIn(form.draft, 'grpc.protoFiles', undefined), on ? 'grpc.protoFile' : 'grpc.protoContent', undefined);
    d = setIn(d, on ? 'grpc.protoContent' : 'grpc.protoFile', on ? '' : '');
    form.setDraft(d);
  };
  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (file) form.setDraft(setIn(form.draft, 'grpc.protoContent', await file.text()));
  };
  return (
    <>
      <fieldset class="inline">
        <label><input type="radio" name="proto-source" checked={!upload} onChange={() => useUpload(false)} /> Proto file path on the server</label>
        <label><input type="radio" name="proto-source" checked={upload} onChange={() => useUpload(true)} /> Upload a .proto</label>
      </fieldset>
      {upload ? (
        <>
          <label class="field wide">
            <span class="field-label">Proto file</span>
            <input type="file" accept=".proto,text/plain" aria-label="Upload proto" onChange={(e) => void onFile(e.target as HTMLInputElement)} />
          </label>
          <ValueField path="grpc.protoContent" label="Proto content" rows={6} />
        </>
      ) : (
        <Row>
          <Field path="grpc.protoFile" label="Proto file path" placeholder="protos/greeter.proto" wide />
          <Field path="grpc.importPaths" label="Import paths (comma-separated)" kind="list" />
        </Row>
      )}
    </>
  );
}

/**
 * A service or method name, renamed in the draft when the input is left (renaming on every key would create a
 * service per keystroke). The text typed so far is this input's own state, so a re-render (the live stats arrive
 * every second) does not put the old name back.
 */
function NameInput({ value, label, list, onRename }: { value: string; label: string; list: string; onRename(next: string): void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <input
      list={list}
      value={text}
      aria-label={label}
      onInput={(e) => setText((e.target as HTMLInputElement).value)}
      onChange={(e) => {
        const next = (e.target as HTMLInputElement).value;
        if (next && next !== value) onRename(next);
      }}
    />
  );
}

function rowsOf(services: Services): { svc: string; m: string }[] {
  return Object.entries(services).flatMap(([svc, s]) => Object.keys(s.methods ?? {}).map((m) => ({ svc, m })));
}

function MethodRows() {
  const form = useContext(FormContext);
  const services = (getIn(form.draft, 'grpc.services') as Services | undefined) ?? {};
  const rows = rowsOf(services);
  const scanned = scanProto(String(getIn(form.draft, 'grpc.protoContent') ?? ''));

  // Renames work on the latest draft and the row's position in it, not on this render's copy: a service renamed and
  // then its method renamed before the page re-rendered (a busy browser) would otherwise undo the first rename.
  const renameAt = (i: number, to: (row: { svc: string; m: string }) => { svc: string; m: string }) =>
    form.setDraft((latest) => {
      const current = (getIn(latest, 'grpc.services') as Services | undefined) ?? {};
      const from = rowsOf(current)[i];
      if (!from) return latest;
      const target = to(from);
      const config = current[from.svc]?.methods?.[from.m] ?? {};
      let next: Services = JSON.parse(JSON.stringify(current));
      delete next[from.svc]!.methods![from.m];
      if (Object.keys(next[from.svc]!.methods!).length === 0) delete next[from.svc];
      next = { ...next, [target.svc]: { ...next[target.svc], methods: { ...next[target.svc]?.methods, [target.m]: config } } };
      return setIn(latest, 'grpc.services', next);
    });
  const add = () => {
    const svc = scanned.services[0] ?? 'pkg.Service';
    const taken = new Set(Object.keys(services[svc]?.methods ?? {}));
    const m = (scanned.methods[svc] ?? []).find((x) => !taken.has(x)) ?? `Method${taken.size + 1}`;
    form.setDraft(setIn(form.draft, `grpc.services${keySegment(svc)}.methods${keySegment(m)}`, { response: {} }));
  };
  const remove = (row: { svc: string; m: string }) => {
    const next: Services = JSON.parse(JSON.stringify(services));
    delete next[row.svc]!.methods![row.m];
    if (Object.keys(next[row.svc]!.methods!).length === 0) delete next[row.svc];
    form.setDraft(setIn(form.draft, 'grpc.services', next));
  };

  return (
    <fieldset class="list" data-field="grpc.services">
      <legend>Methods</legend>
      <datalist id="grpc-services">{scanned.services.map((s) => <option value={s} key={s} />)}</datalist>
      {rows.map((row, i) => {
        const base = `grpc.services${keySegment(row.svc)}.methods${keySegment(row.m)}`;
        return (
          // Keyed by position, so renaming a service or method keeps its inputs (and their focus) in place.
          <div class="list-item" key={i}>
            <div class="list-fields">
              <Row>
                <label class="field">
                  <span class="field-label">Service</span>
                  <NameInput list="grpc-services" value={row.svc} label={`Service ${i + 1}`} onRename={(svc) => renameAt(i, (r) => ({ svc, m: r.m }))} />
                </label>
                <label class="field">
                  <span class="field-label">Method</span>
                  <NameInput list={`grpc-methods-${i}`} value={row.m} label={`Method ${i + 1}`} onRename={(m) => renameAt(i, (r) => ({ svc: r.svc, m }))} />
                  <datalist id={`grpc-methods-${i}`}>{(scanned.methods[row.svc] ?? []).map((m) => <option value={m} key={m} />)}</datalist>
                </label>
                <Field path={`${base}.delay`} label="Delay" placeholder="100ms" />
                <Field path={`${base}.streamDelay`} label="Stream delay" placeholder="1s" />
              </Row>
              <ValueField path={`${base}.response`} label="Response (JSON, templated)" json rows={3} />
              <ValueField path={`${base}.responses`} label="Streamed responses (JSON array)" json rows={2} />
              <Row>
                <Field path={`${base}.error.code`} label="Error code" placeholder="NOT_FOUND" />
                <Field path={`${base}.error.message`} label="Error message" />
              </Row>
            </div>
            <button type="button" class="plain" aria-label={`Remove method ${i + 1}`} onClick={() => remove(row)}>×</button>
          </div>
        );
      })}
      <button type="button" class="add" onClick={add}>Add method</button>
    </fieldset>
  );
}

export function GrpcFields() {
  return (
    <>
      <Row>
        <Field path="grpc.port" label="Server port (0 = pick one)" kind="number" />
        <Field path="grpc.reflection" label="Serve reflection" kind="checkbox" />
      </Row>
      <ProtoSource />
      <MethodRows />
    </>
  );
}
