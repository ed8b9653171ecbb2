// `http.sequence` (issue 21): the n-th request a mock answers gets the n-th response, and the last one repeats.
// Each step is answered as a mock of its own (id `<mockId>~<index>`), so the responder compiles and caches each once.
// The count lives in this worker and starts again when the mock changes; with a worker pool each member counts its
// own requests.

import type { Mock } from '../../mocks/types.ts';
import type { HttpMatch } from './matching/index.ts';

const STEPS = new WeakMap<Mock, Mock[]>();
const counts = new WeakMap<Mock, number>();

export function nextInSequence(match: HttpMatch): HttpMatch {
  const sequence = match.mock.http!.sequence!;
  let steps = STEPS.get(match.mock);
  if (!steps) {
    steps = sequence.map((response, i) => ({ ...match.mock, id: `${match.mock.id}~${i}`, http: { ...match.mock.http!, response, sequence: undefined } }));
    STEPS.set(match.mock, steps);
  }
  const n = counts.get(match.mock) ?? 0;
  counts.set(match.mock, n + 1);
  return { ...match, mock: steps[Math.min(n, steps.length - 1)]! };
}
