// `timing` of a snapshot (issue 21): `original` keeps the recorded gaps, `none` drops them, and a number is a
// playback speed (2 plays twice as fast: gaps are halved; 0.5 doubles them). The CLI's `2x` is the number 2.

import { validationError } from '../errors.ts';

/** Turns a recorded gap in ms into the replayed one. */
export type GapScale = (gapMs: number) => number;

export function parseTiming(raw: unknown, field = 'timing'): GapScale {
  if (raw === undefined || raw === 'original') return (gap) => Math.max(0, Math.round(gap));
  if (raw === 'none') return () => 0;
  const speed = typeof raw === 'string' ? Number(raw.replace(/x$/i, '')) : raw;
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0) {
    throw validationError(field, 'must be "original", "none" or a playback speed greater than 0 (2 or "2x" plays twice as fast)');
  }
  return (gap) => Math.max(0, Math.round(gap / speed));
}
