// The chaos configuration inside one worker (README "Faults and chaos"): set by the coordinator on every pool member
// through the worker API, read by the HTTP responder per request and by the connection faults per message. While chaos
// is off, `chaosBlocks` answers an empty list without looking at anything else.

import { DISABLED_CHAOS, ZERO_CHAOS_COUNTS, type ChaosConfig, type ChaosCounts, type FaultBlock } from '../../contract/faults.ts';

let config: ChaosConfig = DISABLED_CHAOS;
let version = 0;
const listeners = new Set<() => void>();
const NONE: readonly FaultBlock[] = Object.freeze([]);

/** What this worker counted since chaos was last configured. */
export const chaosCounts: ChaosCounts = { ...ZERO_CHAOS_COUNTS };

export function setChaos(next: ChaosConfig): void {
  config = next;
  version++;
  Object.assign(chaosCounts, ZERO_CHAOS_COUNTS);
  for (const l of listeners) l();
}

export function isChaosEnabled(): boolean {
  return config.enabled;
}

/** Changes with every setChaos, so callers can cache what they derived from it. */
export function chaosVersion(): number {
  return version;
}

/** Called after every change (live connections take the new rules). */
export function onChaosChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The blocks that apply to a request or connection: the top-level one, then every matching rule. */
export function chaosBlocks(protocol: string, mockId: string | undefined, path: string | undefined): readonly FaultBlock[] {
  if (!config.enabled) return NONE;
  const out: FaultBlock[] = [config];
  for (const rule of config.rules) {
    const m = rule.match;
    if (m.protocol !== undefined && m.protocol !== protocol) continue;
    if (m.mockId !== undefined && m.mockId !== mockId) continue;
    if (m.path !== undefined && !pathMatches(m.path, path)) continue;
    out.push(rule);
  }
  return out;
}

function pathMatches(pattern: string, path: string | undefined): boolean {
  if (path === undefined) return false;
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}
