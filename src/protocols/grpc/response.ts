// Response messages from a MethodConfig, templated (contract §7 "Templating"): every string in a configured message
// may use `request.body.<field>` (the decoded request, .proto field names) and `request.header.<key>` (metadata).

import { compileJsonTemplate, type JsonTemplate, type TemplateContext } from '../../templating/index.ts';
import { GRPC_STATUS, statusCodeOf } from './status-codes.ts';
import type { CallHandle } from './call-handle.ts';
import type { GrpcMethodConfig } from '../../mocks/types.ts';

/** Compiled once per configured message object; configs live as long as the server built from them. */
const templates = new WeakMap<object, JsonTemplate>();

export function templateContext(request: unknown, metadata: Record<string, string[]>): TemplateContext {
  return { request: { body: request, headers: metadata } };
}

/** The configured message with its templates rendered, ready for the method's serializer. */
export function renderMessage(message: unknown, ctx: TemplateContext): object {
  if (message === null || typeof message !== 'object') return {};
  let template = templates.get(message);
  if (!template) templates.set(message, (template = compileJsonTemplate(message)));
  return template.render(ctx) as object;
}

/** The messages a streaming config sends: `responses`, or `[response]`. */
export function responsesOf(config: GrpcMethodConfig): unknown[] {
  return config.responses ?? (config.response !== undefined ? [config.response] : []);
}

/** Ends the call with the configured `error` (unknown code names are UNKNOWN). */
export function failWithConfiguredError(handle: CallHandle, error: NonNullable<GrpcMethodConfig['error']>): void {
  handle.fail(statusCodeOf(error.code), error.message ?? error.code);
}

/** The contract's answer when no candidate of a configured method holds (§7 "Selection"). */
export function failWithNoMock(handle: CallHandle, path: string): void {
  handle.unmatched = true;
  handle.fail(GRPC_STATUS.UNIMPLEMENTED, `no mock configured for ${path.slice(1)}`);
}
