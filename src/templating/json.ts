// Templating inside JSON values (§3.2 JSON bodies, §5 `json` responses, §4 SSE data and random schema): every string
// value is a template; keys and structure are kept.
import { compileTemplate, isTemplated } from './compile.ts';
import { EMPTY_CONTEXT, type TemplateContext } from './context.ts';
import { toScalar } from './values.ts';

export interface JsonTemplateOptions {
  /**
   * Send numeric results as numbers: every string value whose rendered text is a finite JSON number literal becomes
   * a number. This is the SSE `random{schema}` rule (§4): `{"t":"{{random.int(1,9)}}"}` renders `{"t":7}`.
   */
  numericResults?: boolean;
}

export interface JsonTemplate {
  /** True when no string in the value holds an expression. */
  readonly isStatic: boolean;
  /**
   * The value with its strings templated. Subtrees without expressions are built once at compile time and shared
   * between renders, so treat the result as read-only.
   */
  render(ctx?: TemplateContext): unknown;
  /** `render` as compact JSON; a static value is serialised once at compile time. */
  renderJson(ctx?: TemplateContext): string;
}

type Node = { isStatic: true; value: unknown } | { isStatic: false; render: (ctx: TemplateContext) => unknown };

export function compileJsonTemplate(value: unknown, options: JsonTemplateOptions = {}): JsonTemplate {
  const root = compileNode(value, options.numericResults === true);
  if (root.isStatic) {
    const constant = root.value;
    const json = JSON.stringify(constant) ?? '';
    return { isStatic: true, render: () => constant, renderJson: () => json };
  }
  const render = root.render;
  return {
    isStatic: false,
    render: (ctx = EMPTY_CONTEXT) => render(ctx),
    renderJson: (ctx = EMPTY_CONTEXT) => JSON.stringify(render(ctx)) ?? '',
  };
}

function compileNode(value: unknown, numericResults: boolean): Node {
  if (typeof value === 'string') return compileString(value, numericResults);
  if (Array.isArray(value)) return compileArray(value, numericResults);
  if (typeof value === 'object' && value !== null) return compileObject(value as Record<string, unknown>, numericResults);
  return { isStatic: true, value };
}

function compileString(value: string, numericResults: boolean): Node {
  const template = isTemplated(value) ? compileTemplate(value) : undefined;
  if (template === undefined || template.isStatic) return { isStatic: true, value: numericResults ? toScalar(value) : value };
  return numericResults
    ? { isStatic: false, render: (ctx) => toScalar(template.render(ctx)) }
    : { isStatic: false, render: (ctx) => template.render(ctx) };
}

function compileArray(items: readonly unknown[], numericResults: boolean): Node {
  const nodes = items.map((item) => compileNode(item, numericResults));
  if (nodes.every((n) => n.isStatic)) return { isStatic: true, value: nodes.map(staticValue) };
  const renderers = nodes.map(toRenderer);
  return { isStatic: false, render: (ctx) => renderers.map((r) => r(ctx)) };
}

function compileObject(object: Record<string, unknown>, numericResults: boolean): Node {
  const keys = Object.keys(object);
  const nodes = keys.map((key) => compileNode(object[key], numericResults));
  if (nodes.every((n) => n.isStatic)) {
    const value: Record<string, unknown> = {};
    keys.forEach((key, i) => defineEntry(value, key, staticValue(nodes[i]!)));
    return { isStatic: true, value };
  }
  const renderers = nodes.map(toRenderer);
  return {
    isStatic: false,
    render: (ctx) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) defineEntry(out, keys[i]!, renderers[i]!(ctx));
      return out;
    },
  };
}

// A JSON key may be "__proto__"; define it as a plain property instead of letting assignment set the prototype.
function defineEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function staticValue(node: Node): unknown {
  return node.isStatic ? node.value : undefined;
}

function toRenderer(node: Node): (ctx: TemplateContext) => unknown {
  if (!node.isStatic) return node.render;
  const value = node.value;
  return () => value;
}
