import { z } from 'zod';
import { mockTlsSchema } from './tls.ts';
import { grpcProxySchema } from './proxy.ts';
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

/** grpc-js message length options are C ints: the largest value it takes. */
export const GRPC_MAX_MESSAGE_LENGTH = 2_147_483_647;

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
    /** Issue 21: forward every method of the protos to a real server. */
    proxy: grpcProxySchema.optional(),
    // Limits the contract leaves open (README "Limits"): 0 means unlimited / grpc-js's defaults.
    maxConnections: z
      .number({ message: 'must be a non-negative integer' })
      .int({ message: 'must be a non-negative integer' })
      .min(0, { message: 'must be a non-negative integer' })
      .optional(),
    maxMessageSize: intInRange(0, GRPC_MAX_MESSAGE_LENGTH).optional(),
    tls: mockTlsSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    const present = PROTO_SOURCES.filter((k) => spec[k] !== undefined);
    if (present.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['protoFile'], message: 'exactly one of protoFile, protoFiles, protoContent is required' });
    } else if (present.length > 1) {
      ctx.addIssue({ code: 'custom', path: [present[1]!], message: `not allowed together with ${present[0]}` });
    }
  });
