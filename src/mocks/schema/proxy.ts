// `proxy` blocks of record and replay (issue 21): a mock that forwards to a real upstream instead of answering, and
// journals what passes through. One schema per protocol; every one takes `record: { redact }`.

import { z } from 'zod';
import { stringMapSchema } from './common.ts';

/** `record.redact` (default true): sensitive headers and MQTT passwords are journaled as `[REDACTED]`. */
const recordSchema = z.object({ redact: z.boolean({ message: 'must be a boolean' }).optional() }).optional();

function urlWithScheme(schemes: readonly string[]) {
  return z.string({ message: 'must be a string' }).superRefine((v, ctx) => {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be a URL like ${schemes[0]}//host:port` });
      return;
    }
    if (!schemes.includes(url.protocol)) ctx.addIssue({ code: 'custom', message: `must use ${schemes.join(' or ')}` });
  });
}

/** `http.proxy`: `upstream` is `http(s)://host:port[/base]`; `stripPrefix` is cut from the path before the base is put in front. */
export const httpProxySchema = z.object({
  upstream: urlWithScheme(['http:', 'https:']),
  headers: stringMapSchema.optional(),
  stripPrefix: z.string().startsWith('/', { message: 'must start with /' }).optional(),
  record: recordSchema,
});

/** `websocket.proxy`: one upstream connection per client. */
export const websocketProxySchema = z.object({
  upstream: urlWithScheme(['ws:', 'wss:']),
  record: recordSchema,
});

/** `mqtt.proxy`: the broker bridges `topics` (filters, default `#`) to and from the upstream broker. */
export const mqttProxySchema = z.object({
  upstream: urlWithScheme(['mqtt:', 'mqtts:', 'tcp:']),
  topics: z.array(z.string().min(1, { message: 'must not be empty' })).min(1, { message: 'at least one topic filter is required' }).optional(),
  record: recordSchema,
});

/** `grpc.proxy`: `upstream` is `host:port` (or `grpc://host:port`); every method of the mock's protos is forwarded. */
export const grpcProxySchema = z.object({
  upstream: z.string({ message: 'must be a string' }).regex(/^(grpc:\/\/)?[^\s/:]+(:\d+)$|^(grpc:\/\/)?\[[0-9a-fA-F:]+\]:\d+$/, { message: 'must be host:port' }),
  record: recordSchema,
});
