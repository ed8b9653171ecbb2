// How long a stream waits before each event (contract §4 `timing`). Pure: the caller passes the randomness.

import type { SseSpec } from '../../mocks/types.ts';

export type Timing = NonNullable<SseSpec['timing']>;

export interface WaitInput {
  /** The event's own `delay`, if it has one. */
  delay?: number;
  /** The event's index in the whole stream, as `perEventDelays[i]` counts. */
  index: number;
  /** How many events this stream has sent so far, as bursts count. */
  sent: number;
}

/**
 * The wait in ms before an event: the first that applies of the event's `delay`, `perEventDelays[index]`, `burst`,
 * `randomDelay`, `fixedDelay`, else 0 (§4). A burst sends `count` events `interval` apart, then waits `pause` before
 * the next burst; the first event of the stream counts as inside a burst.
 */
export function waitBefore(timing: Timing | undefined, input: WaitInput, random: () => number = Math.random): number {
  if (input.delay !== undefined) return input.delay;
  if (!timing) return 0;
  const perEvent = timing.perEventDelays?.[input.index];
  if (perEvent !== undefined) return perEvent;
  if (timing.burst) {
    const { count, interval, pause } = timing.burst;
    return input.sent > 0 && input.sent % count === 0 ? pause : interval;
  }
  if (timing.randomDelay) {
    const { min, max } = timing.randomDelay;
    return max <= min ? min : min + Math.floor(random() * (max - min + 1));
  }
  return timing.fixedDelay ?? 0;
}
