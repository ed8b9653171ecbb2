// The `mqtt` spec of contract §6. Cross-field rules use superRefine so each error carries its field path.

import { z } from 'zod';
import { mockTlsSchema } from './tls.ts';
import { mqttProxySchema } from './proxy.ts';
import { validateTemplate } from '../../templating/index.ts';
import { parseDuration } from '../../util/duration.ts';
import { durationSchema, intInRange } from './common.ts';
import { payloadValidationSchema } from './contract.ts';

/** ACL `access` values: read|subscribe, write|publish, readwrite|all grant; deny overrides (contract §6). */
export const MQTT_ACL_ACCESS = ['read', 'subscribe', 'write', 'publish', 'readwrite', 'all', 'deny'] as const;

/** True for a valid PUBLISH topic name: non-empty, no wildcards (MQTT 3.1.1 [MQTT-4.7.1-1]). */
export function isTopicName(topic: string): boolean {
  return topic.length > 0 && !topic.includes('+') && !topic.includes('#');
}

/** True for a valid SUBSCRIBE filter: `+` fills a whole level and `#` is alone in the last level (§4.7.1). */
export function isTopicFilter(filter: string): boolean {
  if (filter.length === 0) return false;
  const levels = filter.split('/');
  return levels.every((level, i) => {
    if (level.includes('#')) return level === '#' && i === levels.length - 1;
    return !level.includes('+') || level === '+';
  });
}

const topicFilterSchema = z
  .string({ message: 'must be a string' })
  .refine(isTopicFilter, { message: 'must be a topic filter: non-empty, + fills a whole level, # only as the last level' });

const payloadSchema = z.string({ message: 'must be a string' }).superRefine((source, ctx) => {
  const problem = validateTemplate(source);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `invalid template: ${problem}` });
});

const messageSchema = z
  .object({
    payload: payloadSchema,
    delay: durationSchema.optional(),
    repeat: z.boolean({ message: 'must be a boolean' }).optional(),
    interval: durationSchema.optional(),
  })
  .superRefine((m, ctx) => {
    // A zero interval would publish in a busy loop.
    if (m.interval !== undefined && parseDuration(m.interval) === 0) {
      ctx.addIssue({ code: 'custom', path: ['interval'], message: 'must be greater than 0' });
    }
  });

const topicSchema = z
  .object({
    topic: topicFilterSchema,
    qos: intInRange(0, 2).optional(),
    retain: z.boolean({ message: 'must be a boolean' }).optional(),
    messages: z.array(messageSchema).optional(),
    schema: payloadValidationSchema.optional(),
    onPublish: z
      .object({
        response: z.object({ payload: payloadSchema }).optional(),
        forward: z.string({ message: 'must be a string' }).refine(isTopicName, { message: 'must be a topic name without + or #' }).optional(),
      })
      .optional(),
  })
  .superRefine((t, ctx) => {
    // Scheduled messages are published to `topic`, which must therefore be a topic name (contract §6).
    if ((t.messages?.length ?? 0) > 0 && !isTopicName(t.topic)) {
      ctx.addIssue({ code: 'custom', path: ['topic'], message: 'a topic with messages may not contain + or #' });
    }
  });

const userSchema = z.object({
  username: z.string({ message: 'must be a string' }).min(1, { message: 'must not be empty' }),
  password: z.string({ message: 'must be a string' }),
  acl: z
    .array(
      z.object({
        topic: topicFilterSchema,
        access: z.enum(MQTT_ACL_ACCESS),
      }),
    )
    .optional(),
});

/** The largest MQTT 3.1.1 packet: a Remaining Length of at most four bytes (§2.2.3), so no payload is larger. */
export const MQTT_MAX_PACKET_SIZE = 268_435_455;

const nonNegativeInt = z
  .number({ message: 'must be a non-negative integer' })
  .int({ message: 'must be a non-negative integer' })
  .min(0, { message: 'must be a non-negative integer' });

export const mqttSpecSchema = z
  .object({
    port: intInRange(0, 65535),
    auth: z
      .object({
        enabled: z.boolean({ message: 'must be a boolean' }).optional(),
        users: z.array(userSchema).optional(),
      })
      .optional(),
    topics: z.array(topicSchema).optional(),
    // Limits the contract leaves open (README "Limits"): 0 means unlimited / the protocol maximum.
    maxConnections: nonNegativeInt.optional(),
    maxMessageSize: intInRange(0, MQTT_MAX_PACKET_SIZE).optional(),
    tls: mockTlsSchema.optional(),
    tlsPort: intInRange(0, 65535).optional(),
    /** Issue 21: bridge to a real broker. */
    proxy: mqttProxySchema.optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.tlsPort !== undefined && spec.tls?.enabled !== true) {
      ctx.addIssue({ code: 'custom', path: ['tlsPort'], message: 'needs tls.enabled: true' });
    }
    if (spec.tlsPort !== undefined && spec.tlsPort !== 0 && spec.tlsPort === spec.port) {
      ctx.addIssue({ code: 'custom', path: ['tlsPort'], message: 'must differ from port' });
    }
    const seen = new Set<string>();
    spec.auth?.users?.forEach((u, i) => {
      if (seen.has(u.username)) ctx.addIssue({ code: 'custom', path: ['auth', 'users', i, 'username'], message: `duplicate username "${u.username}"` });
      seen.add(u.username);
    });
  });
