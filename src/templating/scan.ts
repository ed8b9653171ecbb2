// Splits a template source into literal text and `{{ … }}` expression sources. Runs once per compile.

export interface ScannedExpression {
  /** The text between the braces. */
  source: string;
  /** Offset of the opening `{{` in the template. */
  offset: number;
}

export interface ScanResult {
  /** Literal text around the expressions: always `expressions.length + 1` entries (some may be ""). */
  texts: string[];
  expressions: ScannedExpression[];
  /** Set when a `{{` has no closing `}}`; that `{{` and everything after it are kept as literal text. */
  error?: string;
}

const OPEN_BRACE = 123; // '{'

export function scanTemplate(source: string): ScanResult {
  const texts: string[] = [];
  const expressions: ScannedExpression[] = [];
  let textStart = 0;
  let error: string | undefined;
  let open = source.indexOf('{{');
  while (open >= 0) {
    // An expression never starts with "{", so extra opening braces are text: `[{{{uuid}}}]` is `[{`, uuid, `}]`.
    while (source.charCodeAt(open + 2) === OPEN_BRACE) open++;
    const close = findClose(source, open + 2);
    if (close < 0) {
      error = `unclosed "{{" at offset ${open}`;
      break;
    }
    texts.push(source.slice(textStart, open));
    expressions.push({ source: source.slice(open + 2, close), offset: open });
    textStart = close + 2;
    open = source.indexOf('{{', textStart);
  }
  texts.push(source.slice(textStart));
  return error === undefined ? { texts, expressions } : { texts, expressions, error };
}

/**
 * The index of the `}}` that ends an expression starting at `from`. Quoted arguments may contain `}}`
 * (`{{default(x, "}}")}}`); if a quote is never closed, the first `}}` ends the expression so the damage stays inside it.
 */
function findClose(source: string, from: number): number {
  let quote = '';
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '}' && source[i + 1] === '}') {
      return i;
    }
  }
  return source.indexOf('}}', from);
}
