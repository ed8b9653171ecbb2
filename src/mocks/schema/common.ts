import { z } from 'zod';
import { parseDuration } from '../../util/duration.ts';

/** Integer ms or `<n>ms|s|m|h` (contract conventions). */
export const durationSchema = z.union([z.number(), z.string()]).refine((v) => parseDuration(v) !== undefined, {
  message: 'must be a duration: integer milliseconds or a string like "500ms", "30s", "5m"',
});

/** A JavaScript RegExp source that must compile. */
export const regexSchema = z.string().superRefine((v, ctx) => {
  try {
    new RegExp(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(err as Error).message}` });
  }
});

export const urlPathSchema = z.string().startsWith('/', { message: 'must start with /' });

export const stringMapSchema = z.record(z.string(), z.string());

export function intInRange(min: number, max: number) {
  const msg = `must be an integer between ${min} and ${max}`;
  return z
    // An absent value keeps zod's own "received undefined" text, which reads as "required".
    .number({ error: (iss) => (iss.input === undefined ? undefined : msg) })
    .int({ message: `must be an integer between ${min} and ${max}` })
    .min(min, { message: `must be between ${min} and ${max}` })
    .max(max, { message: `must be between ${min} and ${max}` });
}
