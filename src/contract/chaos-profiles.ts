// Named chaos profiles (`GET /chaos/profiles`, `POST /chaos/profiles/{name}/apply`): plain configurations for the bad
// days of a network, named as the Go mockd's users know them.

import type { ChaosConfig } from './faults.ts';

export interface ChaosProfile {
  name: string;
  description: string;
  config: Omit<ChaosConfig, 'enabled' | 'profile'>;
}

export const CHAOS_PROFILES: readonly ChaosProfile[] = [
  { name: 'slow-api', description: 'Every response 500-2000 ms late', config: { latency: { type: 'uniform', min: 500, max: 2000 }, rules: [] } },
  { name: 'flaky', description: '20% of requests fail with 503, 10-200 ms latency', config: { latency: { type: 'uniform', min: 10, max: 200 }, errorRate: 0.2, errorStatus: 503, rules: [] } },
  { name: 'offline', description: 'Every request is reset; new connections are reset', config: { fault: 'reset', rules: [] } },
  { name: 'degraded', description: 'Lognormal latency (median 300 ms) and 5% 500s', config: { latency: { type: 'lognormal', median: 300, sigma: 0.5 }, errorRate: 0.05, errorStatus: 500, rules: [] } },
  { name: 'mobile-3g', description: 'Lognormal latency (median 300 ms), 50 KB/s', config: { latency: { type: 'lognormal', median: 300, sigma: 0.4 }, bandwidth: 50_000, rules: [] } },
  { name: 'mobile-edge', description: 'Lognormal latency (median 800 ms), 10 KB/s, 2% failures', config: { latency: { type: 'lognormal', median: 800, sigma: 0.5 }, bandwidth: 10_000, errorRate: 0.02, rules: [] } },
  { name: 'satellite', description: '600 ms round trips, 100 KB/s', config: { latency: { type: 'uniform', min: 550, max: 750 }, bandwidth: 100_000, rules: [] } },
  { name: 'timeout', description: 'Responses 30 s late', config: { latency: 30_000, rules: [] } },
];

export function findChaosProfile(name: string): ChaosProfile | undefined {
  return CHAOS_PROFILES.find((p) => p.name === name);
}
