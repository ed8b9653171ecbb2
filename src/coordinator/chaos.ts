// Chaos across mocks (README "Faults and chaos"): the one configuration the coordinator holds and pushes to every
// member of every pool (a restarted member gets it again), named profiles, and the stats: the members' counts summed
// plus the recent fault events the workers posted (the fault log `GET /chaos/stats` shows).

import { CHAOS_PROFILES, findChaosProfile } from '../contract/chaos-profiles.ts';
import { DISABLED_CHAOS, type ChaosConfig, type ChaosCounts, type FaultEvent } from '../contract/faults.ts';
import { MockdError } from '../errors.ts';
import type { BusEvent } from '../contract/events.ts';
import type { WorkerHandle } from './worker-handle.ts';
import type { WorkerPool } from './worker-pool.ts';

/** How many fault events the log keeps. */
const RECENT_FAULTS = 200;

export interface LoggedFault extends Omit<FaultEvent, 'type'> {
  event: FaultEvent['type'];
  at: string;
}

export interface ChaosStats {
  enabled: boolean;
  profile?: string;
  /** When the configuration (and the counts) last changed. */
  since: string;
  counts: ChaosCounts;
  /** The most recent fault events, newest last (admin, mock and chaos faults alike). */
  recentFaults: LoggedFault[];
}

export class ChaosControl {
  #config: ChaosConfig = DISABLED_CHAOS;
  #since = new Date().toISOString();
  readonly #recent: LoggedFault[] = [];

  constructor(private readonly pools: () => Iterable<WorkerPool>) {}

  /** Keeps a fault event in the log (the coordinator hands in every event a worker posts). */
  record(e: BusEvent): void {
    if (e.type !== 'fault.applied' && e.type !== 'fault.lifted') return;
    const { type, ...rest } = e;
    this.#recent.push({ event: type, ...rest, at: new Date().toISOString() });
    if (this.#recent.length > RECENT_FAULTS) this.#recent.shift();
  }

  get config(): ChaosConfig {
    return this.#config;
  }

  /** Resolves once every running member applies `config`. */
  async set(config: ChaosConfig): Promise<ChaosConfig> {
    this.#config = config;
    this.#since = new Date().toISOString();
    await Promise.all([...this.pools()].map((p) => p.setChaos(config)));
    return config;
  }

  /** Turns chaos on or off, keeping the rest of the configuration. */
  setEnabled(enabled: boolean): Promise<ChaosConfig> {
    return this.set({ ...this.#config, enabled });
  }

  applyProfile(name: string): Promise<ChaosConfig> {
    const profile = findChaosProfile(name);
    if (!profile) throw new MockdError('not_found', `Chaos profile not found: ${name} (known: ${CHAOS_PROFILES.map((p) => p.name).join(', ')})`);
    return this.set({ ...structuredClone(profile.config), enabled: true, profile: profile.name });
  }

  /** A restarted member starts with chaos off: give it the current configuration. */
  async restore(pool: WorkerPool, member: WorkerHandle): Promise<void> {
    if (this.#config.enabled || this.#config.rules.length > 0) await pool.setChaos(this.#config, member);
  }

  async stats(): Promise<ChaosStats> {
    const parts = await Promise.all([...this.pools()].map((p) => p.chaosCounts()));
    const counts = parts.reduce((sum, part) => {
      for (const k of Object.keys(sum) as (keyof ChaosCounts)[]) sum[k] += part[k];
      return sum;
    });
    return {
      enabled: this.#config.enabled,
      ...(this.#config.profile !== undefined && { profile: this.#config.profile }),
      since: this.#since,
      counts,
      recentFaults: [...this.#recent],
    };
  }
}
