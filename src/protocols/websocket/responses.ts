// Responses of contract §5: `{type: text|json|binary, value, delay?}`. Compiled once per mock version; a render per
// message only expands templates. `text` is a templated string, `json` any JSON value with its strings templated and
// sent as compact JSON in a text frame, `binary` base64 decoded once and sent as a binary frame.

import type { WsResponse } from '../../mocks/types.ts';
import { compileJsonTemplate, compileTemplate, type TemplateContext } from '../../templating/index.ts';
import { durationMs } from '../../util/duration.ts';

export interface OutgoingFrame {
  data: string | Buffer;
  isBinary: boolean;
}

export interface CompiledResponse {
  /** Milliseconds to wait before sending (0 = at once). */
  readonly delayMs: number;
  /** True when rendering reads nothing from the context, so callers may skip building one. */
  readonly isStatic: boolean;
  render(ctx: TemplateContext): OutgoingFrame;
}

export function compileResponse(response: WsResponse): CompiledResponse {
  const delayMs = durationMs(response.delay, 0);
  switch (response.type) {
    case 'text': {
      const template = compileTemplate(typeof response.value === 'string' ? response.value : String(response.value ?? ''));
      return { delayMs, isStatic: template.isStatic, render: (ctx) => ({ data: template.render(ctx), isBinary: false }) };
    }
    case 'json': {
      const template = compileJsonTemplate(response.value);
      return { delayMs, isStatic: template.isStatic, render: (ctx) => ({ data: template.renderJson(ctx), isBinary: false }) };
    }
    case 'binary': {
      const frame: OutgoingFrame = { data: Buffer.from(typeof response.value === 'string' ? response.value : '', 'base64'), isBinary: true };
      return { delayMs, isStatic: true, render: () => frame };
    }
  }
}
