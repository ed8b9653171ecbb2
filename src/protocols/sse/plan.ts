// A mock's `sse` block compiled once per mock version (contract §4): the event source, its templates, and the
// timing and lifecycle settings with their defaults applied and converted to milliseconds.

import type { SseSpec } from '../../mocks/types.ts';
import { compileEvent, compileSequence, type EventSequence, type SourceEvent } from './source.ts';
import type { Timing } from './timing.ts';

export type TerminationType = 'graceful' | 'abrupt' | 'error';

export interface SsePlan {
  readonly events: EventSequence;
  readonly timing: Timing | undefined;
  readonly initialDelayMs: number;
  /** 0 = no keepalives. */
  readonly keepaliveMs: number;
  /** 0 = no limit. */
  readonly maxEvents: number;
  /** 0 = no limit. */
  readonly connectionTimeoutMs: number;
  readonly termination: {
    readonly type: TerminationType;
    /** Sent before a graceful end. */
    readonly finalEvent?: SourceEvent;
    /** The `event:error` an error termination sends. */
    readonly errorEvent: SourceEvent;
    readonly closeDelayMs: number;
  };
  /** Resume on: events without an id get `index + 1`, and Last-Event-ID is honoured. */
  readonly resume: boolean;
}

const DEFAULT_ERROR_DATA = { error: 'stream terminated' };

export function compilePlan(spec: SseSpec): SsePlan {
  const lifecycle = spec.lifecycle ?? {};
  const termination = lifecycle.termination ?? {};
  const finalEvent = termination.finalEvent;
  return {
    events: compileSequence(spec),
    timing: spec.timing,
    initialDelayMs: spec.timing?.initialDelay ?? 0,
    keepaliveMs: (lifecycle.keepaliveInterval ?? 0) * 1000,
    maxEvents: lifecycle.maxEvents ?? 0,
    connectionTimeoutMs: Math.round((lifecycle.connectionTimeout ?? 0) * 1000),
    termination: {
      type: termination.type ?? 'graceful',
      ...(finalEvent && { finalEvent: compileEvent(finalEvent) }),
      errorEvent: compileEvent({ type: 'error', data: finalEvent?.data ?? DEFAULT_ERROR_DATA }),
      closeDelayMs: termination.closeDelay ?? 0,
    },
    resume: spec.resume?.enabled === true,
  };
}
