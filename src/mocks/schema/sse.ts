import { z } from 'zod';
import { validateTemplate } from '../../templating/index.ts';

/** Contract §4. Delays and intervals are milliseconds; keepaliveInterval and connectionTimeout are seconds. */
const ms = z.number().int().min(0, { message: 'must be a non-negative integer (ms)' });

/** Reports the first broken template among the strings of a data value (§3.3: data strings are templates). */
function checkTemplates(value: unknown, ctx: z.RefinementCtx, path: (string | number)[] = []): void {
  if (typeof value === 'string') {
    const problem = validateTemplate(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path, message: `invalid template: ${problem}` });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkTemplates(item, ctx, [...path, i]));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) checkTemplates(item, ctx, [...path, key]);
  }
}

const dataSchema = z.unknown().superRefine((d, ctx) => {
  if (d === undefined) ctx.addIssue({ code: 'custom', message: 'required' });
  else checkTemplates(d, ctx);
});

const sseEventSchema = z.object({
  type: z.string().optional(),
  data: dataSchema,
  id: z.string().optional(),
  retry: ms.optional(),
  comment: z.string().optional(),
  delay: ms.optional(),
});

export const sseSpecSchema = z
  .object({
    events: z.array(sseEventSchema).optional(),
    generator: z
      .object({
        type: z.enum(['sequence', 'random', 'template']),
        count: z.number().int().min(0).optional(),
        sequence: z
          .object({ start: z.number().optional(), increment: z.number().optional(), format: z.string().optional() })
          .optional(),
        random: z.object({ schema: z.record(z.string(), z.string().superRefine((v, ctx) => checkTemplates(v, ctx))) }).optional(),
        template: z.object({ events: z.array(sseEventSchema), repeat: z.number().int().min(0).optional() }).optional(),
      })
      .superRefine((g, ctx) => {
        if (g.type === 'random' && !g.random) ctx.addIssue({ code: 'custom', path: ['random'], message: 'required for a random generator' });
        if (g.type === 'template' && !g.template) ctx.addIssue({ code: 'custom', path: ['template'], message: 'required for a template generator' });
      })
      .optional(),
    timing: z
      .object({
        initialDelay: ms.optional(),
        fixedDelay: ms.optional(),
        randomDelay: z
          .object({ min: ms, max: ms })
          .refine((r) => r.min <= r.max, { path: ['max'], message: 'must be at least min' })
          .optional(),
        burst: z.object({ count: z.number().int().min(1), interval: ms, pause: ms }).optional(),
        perEventDelays: z.array(ms).optional(),
      })
      .optional(),
    lifecycle: z
      .object({
        keepaliveInterval: z
          .number()
          .int()
          .refine((v) => v === 0 || v >= 5, { message: 'must be 0 (off) or at least 5 seconds' })
          .optional(),
        maxEvents: z.number().int().min(0).optional(),
        connectionTimeout: z.number().min(0).optional(),
        termination: z
          .object({
            type: z.enum(['graceful', 'abrupt', 'error']).optional(),
            finalEvent: z
              .object({ type: z.string().optional(), data: z.unknown().superRefine((d, ctx) => checkTemplates(d, ctx)) })
              .optional(),
            closeDelay: ms.optional(),
          })
          .optional(),
      })
      .optional(),
    resume: z.object({ enabled: z.boolean().optional(), bufferSize: z.number().int().min(1).optional() }).optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.events === undefined) === (s.generator === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['events'], message: 'exactly one of events or generator is required' });
    }
  });
