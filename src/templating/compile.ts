// Compiles a template source once (per mock version) into literal parts and resolver closures, so a render is a
// loop of property reads and string concatenation: no parsing and no regular expressions per request.
import { EMPTY_CONTEXT, type Resolver, type TemplateContext } from './context.ts';
import { BUILTIN_FUNCTIONS } from './functions.ts';
import { compileExtraLookup, compileRequestLookup } from './lookups.ts';
import { parseExpression, type Expression } from './parse.ts';
import { scanTemplate } from './scan.ts';
import { toScalar, toText } from './values.ts';

export interface Template {
  readonly source: string;
  /** True when the source holds no expression: `render` then returns `source` and does nothing else. */
  readonly isStatic: boolean;
  /** Expands every `{{ … }}`. Never throws: unknown, unresolvable or malformed expressions render "". */
  render(ctx?: TemplateContext): string;
}

/** A cheap test for "might this contain an expression?", for callers that skip compiling plain strings. */
export function isTemplated(source: string): boolean {
  return source.includes('{{');
}

export function compileTemplate(source: string): Template {
  if (!isTemplated(source)) return staticTemplate(source);
  const { texts, expressions } = scanTemplate(source);
  if (expressions.length === 0) return staticTemplate(source);
  const parts = expressions.map((e) => compileToText(e.source));
  return { source, isStatic: false, render: joinParts(texts, parts) };
}

/**
 * Renders `template` and returns a number when the text is a finite JSON number literal (`"42"`, `"-1.5"`), otherwise
 * the text. Used where numeric results are sent as numbers, such as the SSE random generator's schema (§4).
 */
export function renderScalar(template: Template, ctx?: TemplateContext): string | number {
  return toScalar(template.render(ctx));
}

function staticTemplate(source: string): Template {
  return { source, isStatic: true, render: () => source };
}

type TextPart = (ctx: TemplateContext) => string;

// Specialised for the common shapes (`{{uuid}}`, `Hello {{x}}!`) to keep the hot path short.
function joinParts(texts: readonly string[], parts: readonly TextPart[]): (ctx?: TemplateContext) => string {
  if (parts.length === 1) {
    const [before, after] = texts as [string, string];
    const part = parts[0]!;
    if (before === '' && after === '') return (ctx = EMPTY_CONTEXT) => part(ctx);
    return (ctx = EMPTY_CONTEXT) => before + part(ctx) + after;
  }
  return (ctx = EMPTY_CONTEXT) => {
    let out = texts[0]!;
    for (let i = 0; i < parts.length; i++) out += parts[i]!(ctx) + texts[i + 1]!;
    return out;
  };
}

/** One `{{ … }}` as a function returning its text. Malformed syntax renders "" (see validateTemplate). */
function compileToText(source: string): TextPart {
  let resolver: Resolver;
  try {
    resolver = compileExpression(parseExpression(source));
  } catch {
    return () => '';
  }
  return (ctx) => {
    try {
      return toText(resolver(ctx));
    } catch {
      return '';
    }
  };
}

function compileExpression(expression: Expression): Resolver {
  switch (expression.kind) {
    case 'literal': {
      const value = expression.value;
      return () => value;
    }
    case 'name':
      return compileName(expression.path);
    case 'call':
      return compileCall(expression.path, expression.args);
  }
}

function compileName(path: readonly string[]): Resolver {
  const builtin = BUILTIN_FUNCTIONS.get(path.join('.').toLowerCase());
  if (builtin !== undefined) return () => builtin(NO_ARGS);
  if (path[0]!.toLowerCase() === 'request') return compileRequestLookup(path);
  return compileExtraLookup(path);
}

const NO_ARGS: readonly unknown[] = Object.freeze([]);

function compileCall(path: readonly string[], argExpressions: readonly Expression[]): Resolver {
  const builtin = BUILTIN_FUNCTIONS.get(path.join('.').toLowerCase());
  if (builtin === undefined) {
    // `request.path()` is the name itself; arguments given to something that is not a function are an unknown call.
    return argExpressions.length === 0 ? compileName(path) : () => undefined;
  }
  const args = argExpressions.map(compileExpression);
  if (args.length === 0) return () => builtin(NO_ARGS);
  return (ctx) => {
    const values = new Array<unknown>(args.length);
    for (let i = 0; i < args.length; i++) values[i] = args[i]!(ctx);
    return builtin(values);
  };
}
