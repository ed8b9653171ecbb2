// Reading a contract file's text as JSON or YAML. A file that does not parse is a 400 that says where and why, so
// a user can open the file at that line.

import { parseDocument } from 'yaml';
import { MockdError } from '../errors.ts';

/** A file that could not be read as its format, with the 1-based line and column of the problem when known. */
export class ImportParseError extends MockdError {
  constructor(
    reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super('validation_error', `cannot parse the file${line !== undefined ? ` at line ${line}, column ${column ?? 1}` : ''}: ${reason}`, 'body');
  }

  override toBody() {
    const body: Record<string, unknown> = { ...super.toBody() };
    if (this.line !== undefined) Object.assign(body, { line: this.line, column: this.column ?? 1 });
    return body as unknown as ReturnType<MockdError["toBody"]>;
  }
}

function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** JSON when the text starts with `{` or `[`, YAML otherwise (YAML is a superset, but JSON errors read better). */
export function parseStructured(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      const message = (err as Error).message;
      const pos = /position (\d+)/.exec(message);
      const lc = /line (\d+) column (\d+)/.exec(message);
      if (lc) throw new ImportParseError(message, Number(lc[1]), Number(lc[2]));
      if (pos) {
        const { line, column } = lineColumnOf(text, Number(pos[1]));
        throw new ImportParseError(message, line, column);
      }
      throw new ImportParseError(message);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [undefined, undefined];
    throw new ImportParseError(error.message.split('\n')[0]!, line, column);
  }
  return doc.toJS({ maxAliasCount: 1000 });
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
