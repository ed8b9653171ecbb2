// The JSON/YAML view of the draft: a plain textarea with line numbers. Text that parses becomes the draft at once;
// text that does not shows the parser's message at its line. A validation error from the admin API is placed on the
// line of its `field` path, found in the document's node ranges (YAML is a superset of JSON, so one parser locates
// fields in both). The YAML library is loaded on first use, so the dashboard's first load stays small.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { parsePath, type Draft } from './draft.ts';
import type { FieldError } from './fields.tsx';

type YamlModule = typeof import('yaml');
let loading: Promise<YamlModule> | undefined;
const loadYaml = (): Promise<YamlModule> => (loading ??= import('yaml'));

export type CodeMode = 'json' | 'yaml';

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line that holds `field`, or its nearest parent that exists (a missing required key points at its object). */
export function locateField(yaml: YamlModule, text: string, field: string): number | undefined {
  let doc;
  try {
    doc = yaml.parseDocument(text);
  } catch {
    return undefined;
  }
  const path = parsePath(field);
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lineOf(text, node.range[0]);
    // A scalar's key is found through its parent map's pair when the value itself has no range.
  }
  return undefined;
}

function serialize(yaml: YamlModule | undefined, draft: Draft, mode: CodeMode): string {
  if (mode === 'json' || !yaml) return JSON.stringify(draft, null, 2);
  return yaml.stringify(draft, { lineWidth: 0 });
}

interface Props {
  draft: Draft;
  mode: CodeMode;
  error?: FieldError;
  onDraft(draft: Draft): void;
  /** Whether the text parses; the editor cannot save while it does not. */
  onParsed(ok: boolean): void;
}

export function CodeEditor({ draft, mode, error, onDraft, onParsed }: Props) {
  const [yaml, setYaml] = useState<YamlModule>();
  const [text, setText] = useState(() => (mode === 'json' ? serialize(undefined, draft, mode) : ''));
  const [parseError, setParseError] = useState<{ message: string; line?: number }>();
  const gutter = useRef<HTMLPreElement>(null);

  useEffect(() => {
    let live = true;
    void loadYaml().then((y) => {
      if (!live) return;
      setYaml(y);
      if (mode === 'yaml') setText(serialize(y, draft, mode));
    });
    return () => {
      live = false;
    };
  }, []);

  const onInput = (next: string) => {
    setText(next);
    try {
      const parsed: unknown = mode === 'json' ? JSON.parse(next) : yaml!.parse(next);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('a mock is an object');
      setParseError(undefined);
      onParsed(true);
      onDraft(parsed as Draft);
    } catch (err) {
      const message = (err as Error).message;
      const pos = /position (\d+)/.exec(message);
      const yamlLine = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
      onParsed(false);
      setParseError({ message, line: yamlLine ?? (pos ? lineOf(next, Number(pos[1])) : undefined) });
    }
  };

  const errorLine = useMemo(() => {
    if (parseError) return parseError.line;
    if (!error?.field || !yaml) return undefined;
    return locateField(yaml, text, error.field);
  }, [parseError, error, yaml, text]);

  const lines = text.split('\n').length;
  const label = mode === 'json' ? 'Mock JSON' : 'Mock YAML';
  const shown = parseError ? { field: undefined, message: `${mode === 'json' ? 'JSON' : 'YAML'} syntax: ${parseError.message}` } : error;
  return (
    <div class="code-editor">
      <div class="code-area">
        <pre class="gutter" aria-hidden="true" ref={gutter}>
          {Array.from({ length: lines }, (_, i) => (
            <span key={i} class={i + 1 === errorLine ? 'error-line' : undefined}>{i + 1}{'\n'}</span>
          ))}
        </pre>
        <textarea
          aria-label={label}
          spellcheck={false}
          value={text}
          wrap="off"
          onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = (e.target as HTMLTextAreaElement).scrollTop;
          }}
        />
      </div>
      {shown && (
        <p class="error code-error" role="alert" data-error-field={shown.field ?? ''} data-error-line={errorLine ?? ''}>
          {errorLine !== undefined && <span class="mono">line {errorLine} · </span>}
          {shown.field && <strong class="mono">{shown.field}</strong>}
          {shown.field && ': '}
          {shown.field ? shown.message.replace(`validation error on ${shown.field}: `, '') : shown.message}
        </p>
      )}
    </div>
  );
}
