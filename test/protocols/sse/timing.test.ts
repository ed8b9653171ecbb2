import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitBefore, type Timing, type WaitInput } from '../../../src/protocols/sse/timing.ts';

describe('the wait before an SSE event (contract §4 timing)', () => {
  const all: Timing = { fixedDelay: 10, randomDelay: { min: 100, max: 200 }, burst: { count: 2, interval: 5, pause: 500 }, perEventDelays: [1, 2] };
  const cases: { name: string; timing: Timing | undefined; input: WaitInput; wait: number }[] = [
    { name: 'is 0 with no timing', timing: undefined, input: { index: 0, sent: 0 }, wait: 0 },
    { name: 'is the event delay above everything', timing: all, input: { delay: 3, index: 0, sent: 0 }, wait: 3 },
    { name: 'is the event delay even when 0', timing: all, input: { delay: 0, index: 0, sent: 0 }, wait: 0 },
    { name: 'is perEventDelays[i] next', timing: all, input: { index: 1, sent: 1 }, wait: 2 },
    { name: 'is the burst interval inside a burst', timing: all, input: { index: 3, sent: 3 }, wait: 5 },
    { name: 'is the burst pause before the next burst', timing: all, input: { index: 4, sent: 4 }, wait: 500 },
    { name: 'is the burst interval for the first event', timing: { burst: { count: 2, interval: 5, pause: 500 } }, input: { index: 0, sent: 0 }, wait: 5 },
    { name: 'counts bursts by events sent, not by index', timing: { burst: { count: 2, interval: 5, pause: 500 } }, input: { index: 7, sent: 2 }, wait: 500 },
    { name: 'is randomDelay when no burst', timing: { randomDelay: { min: 100, max: 200 }, fixedDelay: 10 }, input: { index: 0, sent: 0 }, wait: 150 },
    { name: 'is randomDelay min when max equals min', timing: { randomDelay: { min: 100, max: 100 } }, input: { index: 0, sent: 0 }, wait: 100 },
    { name: 'is fixedDelay last', timing: { fixedDelay: 10, perEventDelays: [1] }, input: { index: 1, sent: 1 }, wait: 10 },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(waitBefore(c.timing, c.input, () => 0.5), c.wait));
  }

  test('keeps randomDelay within its inclusive bounds', () => {
    const timing: Timing = { randomDelay: { min: 10, max: 12 } };
    assert.equal(waitBefore(timing, { index: 0, sent: 0 }, () => 0), 10);
    assert.equal(waitBefore(timing, { index: 0, sent: 0 }, () => 0.999999), 12);
  });
});
