// A configured method compiled once, when its server starts, so a call does no parsing or compiling: each candidate's
// durations, error status and messages are ready, selection skips straight to the answer when no candidate has a
// `match` (contract §7 "Selection"), and messages without templates are built, and serialized, in advance.

import type { GrpcMethodConfig } from '../../mocks/types.ts';
import { compileJsonTemplate, type JsonTemplate, type TemplateContext } from '../../templating/index.ts';
import { durationMs } from '../../util/duration.ts';
import type { ServerCallLike } from './call-handle.ts';
import { metadataOf } from './metadata.ts';
import { isMatch, type CallFacts } from './select.ts';
import { statusCodeOf } from './status-codes.ts';

/** A configured message: the value itself when it has no template, otherwise its compiled template. */
export interface PreparedMessage {
  readonly value?: object;
  readonly template?: JsonTemplate;
}

export interface Candidate {
  readonly match?: NonNullable<GrpcMethodConfig['match']>;
  readonly delayMs: number;
  readonly streamDelayMs: number;
  /** The configured `error` as the status it ends the call with. */
  readonly error?: { readonly code: number; readonly details: string };
  /** What a unary or client-stream call answers: `response`, else the first of `responses`. */
  readonly reply: PreparedMessage;
  /** What a server-stream or bidi call sends: `responses`, or `[response]`. */
  readonly messages: readonly PreparedMessage[];
}

export interface MethodPlan {
  /** The candidates with a `match`, in order. */
  readonly matching: readonly Candidate[];
  /** The first candidate without a `match`: the answer when none of `matching` holds. */
  readonly fallback?: Candidate;
  /** True when a candidate's match reads metadata, which is then converted for the call. */
  readonly matchesMetadata: boolean;
}

/** Serializes a response message as the method's serializer does; cached bytes for static messages. */
export type ResponseSerializer = (value: object) => Buffer;

/**
 * Compiles `config` and its variants. Each static message is serialized once into `preSerialized`, which the
 * method's serializer reads first (grpc-js copies the bytes into its frame, so one buffer serves every call). A
 * message that fails to serialize is left out and fails per call, with the status grpc-js gives it.
 */
export function compileMethodPlan(config: GrpcMethodConfig, serialize: ResponseSerializer, preSerialized: WeakMap<object, Buffer>): MethodPlan {
  // Equal messages share one prepared message (a stream of identical `responses` is common), hence one value,
  // one buffer, and one journal record per stream (journal.ts).
  const prepared = new Map<string, PreparedMessage>();
  const prepare = (message: unknown): PreparedMessage => {
    // A configured message that is not an object sends the empty message.
    const object = message !== null && typeof message === 'object' ? message : {};
    const key = JSON.stringify(object);
    let result = prepared.get(key);
    if (result) return result;
    const template = compileJsonTemplate(object);
    result = template.isStatic ? { value: template.render() as object } : { template };
    if (result.value) {
      try {
        preSerialized.set(result.value, Buffer.from(serialize(result.value)));
      } catch {
        // Serialized (and failing) per call instead.
      }
    }
    prepared.set(key, result);
    return result;
  };
  const candidates = [config, ...(config.variants ?? [])].map((c): Candidate => {
    const messages = (c.responses ?? (c.response !== undefined ? [c.response] : [])).map(prepare);
    return {
      match: c.match,
      delayMs: durationMs(c.delay, 0),
      streamDelayMs: durationMs(c.streamDelay, 0),
      error: c.error && { code: statusCodeOf(c.error.code), details: c.error.message ?? c.error.code },
      reply: prepare(c.response ?? c.responses?.[0]),
      messages,
    };
  });
  const matching = candidates.filter((c) => c.match !== undefined);
  return {
    matching,
    fallback: candidates.find((c) => c.match === undefined),
    matchesMetadata: matching.some((c) => Object.keys(c.match?.metadata ?? {}).length > 0),
  };
}

const NO_METADATA: Record<string, string[]> = Object.freeze({});

/** The candidate that answers this request, or undefined (UNIMPLEMENTED "no mock configured"). */
export function selectCandidate(plan: MethodPlan, call: ServerCallLike, request: unknown): Candidate | undefined {
  if (plan.matching.length === 0) return plan.fallback;
  const facts: CallFacts = { metadata: plan.matchesMetadata ? metadataOf(call) : NO_METADATA, request };
  for (const c of plan.matching) if (isMatch(c.match!, facts)) return c;
  return plan.fallback;
}

/** The message as sent: the prepared value, or its template rendered on the request and the call's metadata. */
export function renderPrepared(message: PreparedMessage, call: ServerCallLike, request: unknown): object {
  return message.value ?? (message.template!.render(templateContext(request, metadataOf(call))) as object);
}

/** What templates see (§7 "Templating"): `request.body.<field>` (the decoded request, .proto field names) and
 * `request.header.<key>` (metadata). */
function templateContext(request: unknown, metadata: Record<string, string[]>): TemplateContext {
  return { request: { body: request, headers: metadata } };
}
