// The `websocket` spec of contract §5. Cross-field rules use superRefine so each error carries its field path
// (`websocket.matchers[0].match.value`). Templates, regexes, JSON paths and base64 are checked here, once, so the
// worker can compile a mock without failing.

import { z } from 'zod';
import { mtlsMatcherSchema } from './tls.ts';
import { validateTemplate } from '../../templating/index.ts';
import { isBase64 } from '../../util/base64.ts';
import { parseDuration } from '../../util/duration.ts';
import { checkJsonPath } from '../../util/json-path.ts';
import { durationSchema, urlPathSchema } from './common.ts';
import { payloadValidationSchema } from './contract.ts';
import { websocketProxySchema } from './proxy.ts';

const matchSchema = z
  .object({
    type: z.enum(['exact', 'contains', 'prefix', 'suffix', 'regex', 'json']),
    value: z.unknown().optional(),
    path: z.string({ message: 'must be a string' }).optional(),
    messageType: z.enum(['text', 'binary']).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.type === 'json') {
      // `value` may be any JSON value; without it the match holds when the path exists (§5).
      if (m.path === undefined) ctx.addIssue({ code: 'custom', path: ['path'], message: 'required for a json match' });
      else {
        const problem = checkJsonPath(m.path);
        if (problem) ctx.addIssue({ code: 'custom', path: ['path'], message: problem });
      }
      return;
    }
    // String types compare against the message's text, so they need a string to compare with.
    if (typeof m.value !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: m.value === undefined ? 'required' : 'must be a string' });
      return;
    }
    if (m.type === 'regex') {
      try {
        new RegExp(m.value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: `invalid regular expression: ${(err as Error).message}` });
      }
    }
  });

/** Reports the first broken template among the strings of a JSON value. */
function checkJsonTemplates(value: unknown, ctx: z.RefinementCtx, path: PropertyKey[]): boolean {
  if (typeof value === 'string') {
    const problem = validateTemplate(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path, message: `invalid template: ${problem}` });
    return problem === undefined;
  }
  if (Array.isArray(value)) return value.every((v, i) => checkJsonTemplates(v, ctx, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).every(([k, v]) => checkJsonTemplates(v, ctx, [...path, k]));
  }
  return true;
}

const responseSchema = z
  .object({
    type: z.enum(['text', 'json', 'binary']),
    value: z.unknown(),
    delay: durationSchema.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'required' });
      return;
    }
    if (r.type === 'json') {
      checkJsonTemplates(r.value, ctx, ['value']);
      return;
    }
    if (typeof r.value !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be a string' });
      return;
    }
    if (r.type === 'binary' && !isBase64(r.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be standard base64 (A-Z a-z 0-9 + /, padded)' });
    }
    if (r.type === 'text') checkJsonTemplates(r.value, ctx, ['value']);
  });

const matcherSchema = z.object({
  match: matchSchema,
  response: responseSchema.optional(),
  noResponse: z.boolean({ message: 'must be a boolean' }).optional(),
});

const stepSchema = z
  .object({
    type: z.enum(['send', 'expect', 'wait']),
    message: responseSchema.optional(),
    match: matchSchema.optional(),
    duration: durationSchema.optional(),
    timeout: durationSchema.optional(),
    optional: z.boolean({ message: 'must be a boolean' }).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.type === 'send' && s.message === undefined) ctx.addIssue({ code: 'custom', path: ['message'], message: 'required for a send step' });
    if (s.type === 'wait' && s.duration === undefined) ctx.addIssue({ code: 'custom', path: ['duration'], message: 'required for a wait step' });
  });

const scenarioSchema = z.object({
  name: z.string({ message: 'must be a string' }).optional(),
  steps: z.array(stepSchema).min(1, { message: 'at least one step is required' }),
  loop: z.boolean({ message: 'must be a boolean' }).optional(),
});

// A zero heartbeat interval would ping in a busy loop.
const positiveDuration = durationSchema.refine((v) => parseDuration(v) !== 0, { message: 'must be greater than 0' });

const subprotocolSchema = z
  .string({ message: 'must be a string' })
  // An HTTP token (RFC 9110 §5.6.2): what Sec-WebSocket-Protocol can carry.
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, { message: 'must be a non-empty token without spaces or separators' });

/** The `websocket` spec of contract §5. */
export const websocketSpecSchema = z
  .object({
    path: urlPathSchema.refine((p) => !p.includes('?') && !p.includes('#'), { message: 'must be a path without query or fragment' }),
    subprotocols: z.array(subprotocolSchema).optional(),
    requireSubprotocol: z.boolean({ message: 'must be a boolean' }).optional(),
    matchers: z.array(matcherSchema).optional(),
    defaultResponse: responseSchema.optional(),
    echoMode: z.boolean({ message: 'must be a boolean' }).optional(),
    scenario: scenarioSchema.optional(),
    heartbeat: z
      .object({
        enabled: z.boolean({ message: 'must be a boolean' }).optional(),
        interval: positiveDuration.optional(),
        timeout: positiveDuration.optional(),
      })
      .optional(),
    idleTimeout: durationSchema.optional(),
    maxMessageSize: z.number().int({ message: 'must be a non-negative integer' }).min(0, { message: 'must be a non-negative integer' }).optional(),
    maxConnections: z.number().int({ message: 'must be a non-negative integer' }).min(0, { message: 'must be a non-negative integer' }).optional(),
    schema: payloadValidationSchema.optional(),
    mtls: mtlsMatcherSchema.optional(),
    /** Issue 21: each client gets its own upstream connection; matchers and scenario do not apply. */
    proxy: websocketProxySchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.requireSubprotocol === true && (s.subprotocols ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['subprotocols'], message: 'at least one entry is required when requireSubprotocol is true' });
    }
  });
