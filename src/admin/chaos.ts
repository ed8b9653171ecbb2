// Chaos across mocks (README "Faults and chaos"): `GET|PUT /chaos`, `GET /chaos/profiles`,
// `POST /chaos/profiles/{name}/apply`, `GET /chaos/stats`. The configuration reaches every member of every pool.

import type { H3 } from 'h3';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { CHAOS_PROFILES } from '../contract/chaos-profiles.ts';
import { parseChaosConfig } from '../mocks/schema/faults.ts';
import { json, param, readJson } from './respond.ts';

export function registerChaosRoutes(app: H3, c: Coordinator): void {
  app.get('/chaos', () => json(200, c.chaos.config));
  app.put('/chaos', async (event) => json(200, await c.chaos.set(parseChaosConfig(await readJson(event)))));
  app.get('/chaos/profiles', () => json(200, { profiles: CHAOS_PROFILES }));
  app.post('/chaos/profiles/:name/apply', async (event) => json(200, await c.chaos.applyProfile(param(event, 'name'))));
  app.get('/chaos/stats', async () => json(200, await c.chaos.stats()));
}
