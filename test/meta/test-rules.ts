// A static reading of the test sources for the rules test-rules.test.ts keeps (issue 27): every test asserts
// something, and nothing outside test/helpers waits without a bound. It reads code with comments and string contents
// blanked out, so a script in a string or a word in a comment is never taken for code.

/** The source with comments, string and regex contents replaced by spaces (line breaks kept, so offsets hold). */
export function codeOnly(src: string): string {
  const out = src.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  // Template literals nest through `${ … }`: the stack holds the brace depth at which each `${` was opened.
  const templates: number[] = [];
  let depth = 0;
  let last = ''; // the last significant code character, to tell a regex literal from a division
  let i = 0;
  const startTemplate = (from: number): number => {
    // from is just after a backtick or a closing `}` of `${}`; returns the index after the template part.
    let j = from;
    while (j < src.length) {
      if (src[j] === '\\') j += 2;
      else if (src[j] === '`') {
        blank(from, j);
        return j + 1;
      } else if (src[j] === '$' && src[j + 1] === '{') {
        blank(from, j);
        templates.push(depth);
        depth++;
        return j + 2;
      } else j++;
    }
    blank(from, j);
    return j;
  };
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? src.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      blank(i + 1, j);
      i = j + 1;
      last = c;
    } else if (c === '`') {
      i = startTemplate(i + 1);
      last = '`';
    } else if (c === '/' && (last === '' || '(,=:[!&|?{};+-*%<>~^'.includes(last) || /\b(return|typeof|case)\s*$/.test(src.slice(Math.max(0, i - 8), i)))) {
      // A regex literal: skip to its closing slash (outside a character class), then its flags.
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n') {
        if (src[j] === '\\') j += 2;
        else if (src[j] === '[') (inClass = true), j++;
        else if (src[j] === ']') (inClass = false), j++;
        else if (src[j] === '/' && !inClass) break;
        else j++;
      }
      blank(i + 1, j);
      i = j + 1;
      last = '/x';
    } else {
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (templates.length > 0 && templates.at(-1) === depth) {
          templates.pop();
          i = startTemplate(i + 1);
          last = '`';
          continue;
        }
      }
      if (!/\s/.test(c)) last = c;
      i++;
    }
  }
  return out.join('');
}

/** The index just past the bracket that closes the one at `open` (in code from `codeOnly`). */
export function closing(code: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
  const stack: string[] = [];
  for (let i = open; i < code.length; i++) {
    const c = code[i]!;
    if (pairs[c]) stack.push(pairs[c]);
    else if (c === ')' || c === '}' || c === ']') {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
  }
  return code.length;
}

export const lineOf = (code: string, index: number) => code.slice(0, index).split('\n').length;

export interface Finding {
  file: string;
  line: number;
  what: string;
}

/** Calls of `name(…)` that are not method calls (no `.` before the name): their start and argument text. */
function callsOf(code: string, name: string): { at: number; args: string }[] {
  const found: { at: number; args: string }[] = [];
  const re = new RegExp(`(?<![.\\w$])${name}\\s*(?:<[^>()]*>)?\\s*\\(`, 'g');
  for (let m; (m = re.exec(code)); ) {
    const open = m.index + m[0].length - 1;
    found.push({ at: m.index, args: code.slice(open, closing(code, open)) });
  }
  return found;
}

/** Words in a body that count as checking something (a bounded wait that rejects, like Playwright's, is a check). */
const ASSERTS = /\bassert\b|\bexpect\s*\(|\.plan\s*\(|\bthrow\b|\breject\s*\(|\.waitFor(?:Function|Selector)?\s*\(/;

/**
 * Names of functions (declarations, arrow constants, methods) whose bodies assert, throw or reject, directly or by
 * calling another such function, across all the sources given.
 */
export function assertingFunctions(sources: string[]): Set<string> {
  const bodies = new Map<string, string[]>();
  const define = /(?:function\s*\*?\s*([\w$]+)\s*(?:<[^>]*>)?\s*\(|(?:const|let)\s+([\w$]+)\s*(?::[^=]+)?=\s*(?:async\s*)?(?:function\b[^(]*\(|\(|[\w$]+\s*=>)|^\s*(?:static\s+|async\s+|get\s+|#)*([\w$#]+)\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::[^{=;]+)?\{)/gm;
  for (const code of sources) {
    for (let m; (m = define.exec(code)); ) {
      // A method is recorded as `.name`, so only a method call (`x.name(`) counts as calling it.
      const name = m[3] !== undefined ? `.${m[3].replace(/^#/, '')}` : (m[1] ?? m[2])!;
      if (['.if', '.for', '.while', '.switch', '.catch', '.function', '.return'].includes(name)) continue;
      // The body: a function's or method's block; for an arrow constant, its block or its expression statement.
      let body = '';
      let from = m.index + m[0].length - 1;
      if (m[2] !== undefined) {
        if (code[from] === '(') from = closing(code, from);
        // `const x = (expression)` is no function: an arrow follows the parameters at once.
        if (!m[0].endsWith('=>') && !/^\s*(?::[^=;{]+)?=>/.test(code.slice(from, from + 300))) continue;
        const arrow = code.indexOf('=>', from);
        let k = arrow + 2;
        while (/\s/.test(code[k] ?? '')) k++;
        if (arrow === -1) body = '';
        else if (code[k] === '{') body = code.slice(k, closing(code, k));
        else {
          let end = k;
          for (let depth = 0; end < code.length; end++) {
            const c = code[end]!;
            if ('([{'.includes(c)) depth++;
            else if (')]}'.includes(c)) depth--;
            if (depth < 0 || (depth === 0 && (c === ';' || c === '\n'))) break;
          }
          body = code.slice(k, end);
        }
      } else {
        const brace = code.indexOf('{', from);
        body = brace === -1 ? '' : code.slice(brace, closing(code, brace));
      }
      bodies.set(name, [...(bodies.get(name) ?? []), body]);
    }
  }
  const asserting = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, list] of bodies) {
      if (asserting.has(name)) continue;
      if (list.some((b) => ASSERTS.test(b) || callsAny(b, asserting))) {
        asserting.add(name);
        changed = true;
      }
    }
  }
  return asserting;
}

/** Whether `body` calls one of `names` (`f` as `f(`, a method `.m` as `x.m(`). */
function callsAny(body: string, names: Set<string>): boolean {
  for (const m of body.matchAll(/(\.?)#?([\w$]+)\s*(?:<[^>()]*>)?\s*\(/g)) {
    const name = m[1] ? `.${m[2]}` : m[2]!;
    if (names.has(name)) return true;
  }
  return false;
}

/** Tests (`test(…)`, `it(…)`, not `.skip`/`.todo`) whose bodies neither assert nor call a function that does. */
export function testsWithoutAssertion(file: string, code: string, asserting: Set<string>): Finding[] {
  const findings: Finding[] = [];
  for (const name of ['test', 'it', 'test\\.only', 'it\\.only']) {
    for (const call of callsOf(code, name)) {
      if (ASSERTS.test(call.args) || callsAny(call.args, asserting)) continue;
      findings.push({ file, line: lineOf(code, call.at), what: 'a test that asserts nothing (no assert, t.plan, or call of a function that asserts)' });
    }
  }
  return findings;
}

/** Waits with no bound: `once(…)` without a signal, `new Promise(…)` with no timer or signal, `fetch(…)` without one. */
export function unboundedWaits(file: string, code: string): Finding[] {
  const findings: Finding[] = [];
  for (const call of callsOf(code, 'once')) {
    if (!/\bsignal\b/.test(call.args)) findings.push({ file, line: lineOf(code, call.at), what: 'once(…) without a signal: use nextEvent() from test/helpers/wait.ts' });
  }
  for (const call of callsOf(code, 'new\\s+Promise')) {
    if (!/\bsetTimeout\s*\(|\bsetImmediate\s*\(|\bAbortSignal\.timeout\s*\(|\bsignal\b|\bdeadline\b/.test(call.args)) {
      findings.push({ file, line: lineOf(code, call.at), what: 'new Promise(…) with no timer, signal or deadline: use within()/deferred() from test/helpers/wait.ts' });
    }
  }
  for (const call of callsOf(code, 'fetch')) {
    if (!/\bsignal\b/.test(call.args)) findings.push({ file, line: lineOf(code, call.at), what: 'fetch(…) with no signal: use fetchWithTimeout() from test/helpers/wait.ts' });
  }
  return findings;
}
