// MQTT payload templates (contract §3.3, §6): the common expressions plus `{{topic}}`, and for onPublish responses
// `{{clientid}}`, `{{payload}}`, `request.rawBody` and `request.body.*` (the received payload, parsed lazily as JSON).

import { compileTemplate, type TemplateContext } from '../../templating/index.ts';

export interface PayloadVars {
  topic: string;
  clientid?: string;
  /** The received payload as UTF-8 text (onPublish only). */
  payload?: string;
}

export interface PayloadTemplate {
  render(vars: PayloadVars): string;
}

/** Compiles once at broker start; rendering never throws (unknown expressions become ""). */
export function compilePayload(source: string): PayloadTemplate {
  const template = compileTemplate(source);
  return {
    render(vars) {
      const ctx: TemplateContext = { extra: { ...vars } };
      if (vars.payload !== undefined) ctx.request = { rawBody: vars.payload };
      return template.render(ctx);
    },
  };
}
