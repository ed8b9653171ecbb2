// The TLS pieces of mock specs (README "TLS"): the `mtls` matcher of HTTP and WebSocket mocks, and the `tls` block of
// MQTT brokers and gRPC servers. Whether the named files exist and hold PEM is checked by the worker that serves them.

import { z } from 'zod';
import { regexSchema } from './common.ts';

const text = z.string({ message: 'must be a string' }).min(1, { message: 'must not be empty' });

export const mtlsMatcherSchema = z
  .object({
    requireAuth: z.boolean({ message: 'must be a boolean' }).optional(),
    cn: text.optional(),
    cnPattern: regexSchema.optional(),
    o: text.optional(),
    ou: text.optional(),
    issuer: text.optional(),
    san: z.object({ dns: text.optional(), email: text.optional(), ip: text.optional() }).optional(),
    fingerprint: z
      .string()
      .regex(/^(?:[0-9A-Fa-f]{2}:?){32}$/, { message: 'must be a SHA-256 fingerprint (64 hex digits, colons allowed)' })
      .optional(),
  })
  .superRefine((m, ctx) => {
    const any = (m.requireAuth === true ? true : undefined) ?? m.issuer ?? m.cn ?? m.cnPattern ?? m.o ?? m.ou ?? m.fingerprint ?? m.san?.dns ?? m.san?.email ?? m.san?.ip;
    if (any === undefined) ctx.addIssue({ code: 'custom', message: 'at least one of requireAuth, cn, cnPattern, o, ou, issuer, san, fingerprint is required' });
  });

export const mockTlsSchema = z
  .object({
    enabled: z.boolean({ message: 'must be a boolean' }),
    certFile: text.optional(),
    keyFile: text.optional(),
    caFile: text.optional(),
    requireClientCert: z.boolean({ message: 'must be a boolean' }).optional(),
  })
  .superRefine((t, ctx) => {
    if ((t.certFile === undefined) !== (t.keyFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: [t.certFile === undefined ? 'certFile' : 'keyFile'], message: 'certFile and keyFile go together' });
    }
    if (t.requireClientCert === true && t.caFile === undefined) {
      ctx.addIssue({ code: 'custom', path: ['caFile'], message: 'required when requireClientCert is true' });
    }
  });
