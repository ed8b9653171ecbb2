// Parses the text inside `{{ … }}` into an expression tree (§3.3). Grammar, whitespace free between tokens:
//   expr  := literal | name | name "(" args? ")" | name arg+        (the last is the `f a b` call form)
//   args  := arg ((",")? arg)*
//   arg   := literal | name | name "(" args? ")"
//   name  := ident ("." ident | "[" (digits | string) "]")*          e.g. request.body.items[0].name
//   ident := [A-Za-z_$][A-Za-z0-9_$-]*                              (dashes for header names such as X-Request-Id)
//   literal := "…" | '…' (backslash escapes) | -?digits(.digits)?(e±digits)?

export type Expression =
  | { kind: 'literal'; value: string | number }
  | { kind: 'name'; path: string[] }
  | { kind: 'call'; path: string[]; args: Expression[] };

export class TemplateSyntaxError extends Error {}

type Token =
  | { type: 'name'; path: string[] }
  | { type: 'literal'; value: string | number }
  | { type: '(' | ')' | ',' };

/** Parses one expression; throws TemplateSyntaxError when it is not well formed. */
export function parseExpression(source: string): Expression {
  const tokens = tokenize(source);
  if (tokens.length === 0) throw new TemplateSyntaxError('empty expression');
  let pos = 0;

  const parseArgs = (closing: ')' | undefined): Expression[] => {
    const args: Expression[] = [];
    while (pos < tokens.length && tokens[pos]!.type !== closing) {
      if (tokens[pos]!.type === ',') {
        if (args.length === 0) throw new TemplateSyntaxError('unexpected ","');
        pos++;
        continue;
      }
      args.push(parseArg());
    }
    if (closing !== undefined) {
      if (pos >= tokens.length) throw new TemplateSyntaxError('missing ")"');
      pos++;
    }
    return args;
  };

  const parseArg = (): Expression => {
    const token = tokens[pos++]!;
    if (token.type === 'literal') return { kind: 'literal', value: token.value };
    if (token.type !== 'name') throw new TemplateSyntaxError(`unexpected "${token.type}"`);
    if (tokens[pos]?.type !== '(') return { kind: 'name', path: token.path };
    pos++;
    return { kind: 'call', path: token.path, args: parseArgs(')') };
  };

  const head = tokens[0]!;
  let expression: Expression;
  if (head.type === 'name' && tokens.length > 1 && tokens[1]!.type !== '(') {
    pos = 1;
    expression = { kind: 'call', path: head.path, args: parseArgs(undefined) };
  } else {
    expression = parseArg();
  }
  if (pos < tokens.length) throw new TemplateSyntaxError(`unexpected "${describe(tokens[pos]!)}" after the expression`);
  return expression;
}

function describe(token: Token): string {
  if (token.type === 'name') return token.path.join('.');
  if (token.type === 'literal') return String(token.value);
  return token.type;
}

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[A-Za-z0-9_$-]/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c });
      i++;
    } else if (c === '"' || c === "'") {
      const [value, end] = readString(source, i);
      tokens.push({ type: 'literal', value });
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const match = NUMBER.exec(source.slice(i));
      if (match === null) throw new TemplateSyntaxError(`unexpected "${c}"`);
      tokens.push({ type: 'literal', value: Number(match[0]) });
      i += match[0].length;
    } else if (IDENT_START.test(c)) {
      const [path, end] = readName(source, i);
      tokens.push({ type: 'name', path });
      i = end;
    } else {
      throw new TemplateSyntaxError(`unexpected "${c}"`);
    }
  }
  return tokens;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r' };

/** Reads a quoted string starting at `start`; returns its value and the index after the closing quote. */
function readString(source: string, start: number): [string, number] {
  const quote = source[start];
  let value = '';
  for (let i = start + 1; i < source.length; i++) {
    const c = source[i]!;
    if (c === quote) return [value, i + 1];
    if (c === '\\' && i + 1 < source.length) {
      const next = source[++i]!;
      value += ESCAPES[next] ?? next;
    } else {
      value += c;
    }
  }
  throw new TemplateSyntaxError('unterminated string');
}

/** Reads a dotted name with optional `[index]` / `["key"]` segments. */
function readName(source: string, start: number): [string[], number] {
  const path: string[] = [];
  let i = start;
  for (;;) {
    let end = i;
    while (end < source.length && IDENT_PART.test(source[end]!)) end++;
    if (end === i) throw new TemplateSyntaxError(`expected a name at "${source.slice(start, end + 1)}"`);
    path.push(source.slice(i, end));
    i = end;
    while (source[i] === '[') {
      const [key, after] = readBracket(source, i + 1);
      path.push(key);
      i = after;
    }
    if (source[i] !== '.') return [path, i];
    i++;
  }
}

function readBracket(source: string, start: number): [string, number] {
  let key: string;
  let i: number;
  if (source[start] === '"' || source[start] === "'") {
    [key, i] = readString(source, start);
  } else {
    i = start;
    while (i < source.length && source[i]! >= '0' && source[i]! <= '9') i++;
    if (i === start) throw new TemplateSyntaxError('expected an index or a quoted key inside "[ ]"');
    key = source.slice(start, i);
  }
  if (source[i] !== ']') throw new TemplateSyntaxError('missing "]"');
  return [key, i + 1];
}
