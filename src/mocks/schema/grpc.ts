import { z } from 'zod';
import type { GrpcMethodConfig } from '../types.ts';
import { durationSchema, intInRange, stringMapSchema } from './common.ts';

/** A response message as JSON, keyed by the .proto field names. */
const messageSchema = z.record(z.string(), z.unknown(), { message: 'must be an object (a message, by .proto field names)' });

// Contract §7 MethodConfig. `variants` nest the same shape; `error.code` is any name (unknown names mean UNKNOWN).
const methodConfigSchema: z.ZodType<GrpcMethodConfig> = z.lazy(() =>
  z.object({
    response: messageSchema.optional(),
    responses: z.array(messageSchema).optional(),
    delay: durationSchema.optional(),
    streamDelay: durationSchema.optional(),
    error: z.object({ code: z.string().min(1, { message: 'required' }), message: z.string().optional() }).optional(),
    match: z
      .object({
        metadata: stringMapSchema.optional(),
        request: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
    variants: z.array(methodConfigSchema).optional(),
  }),
);

const PROTO_SOURCES = ['protoFile', 'protoFiles', 'protoContent'] as const;

/** The `grpc` spec of contract §7. Whether the protos parse and name the listed services is checked by the grpc host. */
export const grpcSpecSchema = z
  .object({
    port: intInRange(0, 65535),
    protoFile: z.string().min(1, { message: 'must not be empty' }).optional(),
    protoFiles: z.array(z.string().min(1, { message: 'must not be empty' })).min(1, { message: 'must list at least one file' }).optional(),
    protoContent: z.string().min(1, { message: 'must not be empty' }).optional(),
    importPaths: z.array(z.string().min(1)).optional(),
    reflection: z.boolean().optional(),
    services: z.record(z.string(), z.object({ methods: z.record(z.string(), methodConfigSchema) })).optional(),
  })
  .superRefine((spec, ctx) => {
    const present = PROTO_SOURCES.filter((k) => spec[k] !== undefined);
    if (present.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['protoFile'], message: 'exactly one of protoFile, protoFiles, protoContent is required' });
    } else if (present.length > 1) {
      ctx.addIssue({ code: 'custom', path: [present[1]!], message: `not allowed together with ${present[0]}` });
    }
  });
