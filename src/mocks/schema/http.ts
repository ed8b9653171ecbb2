import { z } from 'zod';
import { intInRange, regexSchema, stringMapSchema, urlPathSchema } from './common.ts';
import { sseSpecSchema } from './sse.ts';
import { alternativeNameSchema, httpValidationSchema } from './contract.ts';
import { mtlsMatcherSchema } from './tls.ts';
import { httpProxySchema } from './proxy.ts';

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => unknown;

// Contract §3.1: at least one criterion; path excludes pathPattern; bodyEquals excludes bodyContains.
export const httpMatcherSchema = z
  .object({
    method: z.string().min(1).optional(),
    path: urlPathSchema.optional(),
    pathPattern: regexSchema.optional(),
    headers: stringMapSchema.optional(),
    queryParams: stringMapSchema.optional(),
    bodyEquals: z.string().optional(),
    bodyContains: z.string().optional(),
    bodyPattern: regexSchema.optional(),
    bodyJsonPath: z.record(z.string(), z.unknown()).optional(),
    mtls: mtlsMatcherSchema.optional(),
  })
  .superRefine((m, ctx) => {
    if (Object.values(m).every((v) => v === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'at least one criterion is required' });
    }
    if (m.path !== undefined && m.pathPattern !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['pathPattern'], message: 'not allowed together with path' });
    }
    if (m.bodyEquals !== undefined && m.bodyContains !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['bodyContains'], message: 'not allowed together with bodyEquals' });
    }
    for (const p of Object.keys(m.bodyJsonPath ?? {})) {
      if (!p.startsWith('$')) {
        ctx.addIssue({ code: 'custom', path: ['bodyJsonPath', p], message: 'JSON path must start with $' });
      }
    }
  });

// Contract §3.2 and §3.4.
export const httpResponseSchema = z
  .object({
    statusCode: intInRange(100, 599),
    headers: stringMapSchema.optional(),
    body: z.unknown().optional(),
    bodyFile: z
      .string()
      .min(1)
      .refine((f) => !f.split(/[\\/]/).includes('..'), { message: 'may not contain ..' })
      .optional(),
    delayMs: intInRange(0, 30000).optional(),
    script: z
      .string()
      .superRefine((src, ctx) => {
        try {
          new AsyncFunction('request', src);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
        }
      })
      .optional(),
    scriptTimeoutMs: intInRange(1, 10000).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.body !== undefined && r.bodyFile !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['bodyFile'], message: 'not allowed together with body' });
    }
  });

/** `http.responses[]`: a documented response, picked by `Prefer: code=<status>` and/or `Prefer: example=<name>`. */
const httpAlternativeSchema = z.intersection(httpResponseSchema, alternativeNameSchema);

export const httpSpecSchema = z
  .object({
    priority: z.number().int().min(0, { message: 'must be an integer ≥ 0' }).optional(),
    matcher: httpMatcherSchema,
    response: httpResponseSchema.optional(),
    sse: sseSpecSchema.optional(),
    responses: z.array(httpAlternativeSchema).optional(),
    validation: httpValidationSchema.optional(),
    /** Issue 21: the n-th matching request gets the n-th response; the last one repeats. */
    sequence: z.array(httpResponseSchema).min(1, { message: 'at least one response is required' }).optional(),
    /** Issue 21: forward to a real upstream instead of answering. */
    proxy: httpProxySchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.response === undefined && s.sse === undefined && s.sequence === undefined && s.proxy === undefined) {
      ctx.addIssue({ code: 'custom', path: ['response'], message: 'required (or sse, sequence or proxy)' });
    }
    const answers = (['response', 'sse', 'sequence', 'proxy'] as const).filter((k) => s[k] !== undefined);
    if (answers.length > 1 && !(answers.length === 2 && answers.includes('response') && answers.includes('sse'))) {
      ctx.addIssue({ code: 'custom', path: [answers[1]!], message: `not allowed together with ${answers[0]}` });
    }
    if (s.response !== undefined && s.sse !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['sse'], message: 'not allowed together with response' });
    }
  });
