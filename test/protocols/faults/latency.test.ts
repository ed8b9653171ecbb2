// Latency distributions (README "Faults and chaos"), drawn many times: each matches its parameters.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawLatency } from '../../../src/protocols/faults/latency.ts';

const N = 20_000;

function draws(spec: Parameters<typeof drawLatency>[0]): number[] {
  return Array.from({ length: N }, () => drawLatency(spec)).sort((a, b) => a - b);
}

test('a fixed latency is always its value', () => {
  assert.equal(drawLatency(120), 120);
  assert.equal(drawLatency({ type: 'fixed', ms: 80 }), 80);
});

test('a uniform latency stays within min and max and averages their middle', () => {
  const xs = draws({ type: 'uniform', min: 100, max: 300 });
  assert.ok(xs[0]! >= 100 && xs.at(-1)! <= 300);
  const mean = xs.reduce((a, b) => a + b, 0) / N;
  assert.ok(Math.abs(mean - 200) < 5, `mean ${mean}`);
});

for (const [median, sigma] of [[100, 0.5], [300, 0.4], [50, 1]] as const) {
  test(`a lognormal latency (median ${median}, sigma ${sigma}) has its median within 10% and its log spread near sigma`, () => {
    const xs = draws({ type: 'lognormal', median, sigma });
    const observed = xs[N / 2]!;
    assert.ok(Math.abs(observed - median) / median < 0.1, `median ${observed}`);
    const logs = xs.map(Math.log);
    const mu = logs.reduce((a, b) => a + b, 0) / N;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mu) ** 2, 0) / N);
    assert.ok(Math.abs(sd - sigma) / sigma < 0.05, `log sd ${sd}`);
  });
}
