// Drawing a latency from its spec (README "Faults and chaos"): fixed, uniform, or lognormal with a median and sigma.

import type { LatencySpec } from '../../contract/faults.ts';

/** One draw in milliseconds (never negative). Lognormal: median × e^(sigma·z), z standard normal (Box–Muller). */
export function drawLatency(spec: LatencySpec | undefined): number {
  if (spec === undefined) return 0;
  if (typeof spec === 'number') return spec;
  switch (spec.type) {
    case 'fixed':
      return spec.ms;
    case 'uniform':
      return spec.min + Math.random() * (spec.max - spec.min);
    case 'lognormal': {
      const u = 1 - Math.random();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
      return spec.median * Math.exp(spec.sigma * z);
    }
  }
}
