// Mock routes of contract §8.3. Each answer goes through the coordinator, which talks to the workers.

import type { H3 } from 'h3';
import { validationError } from '../errors.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { json, noContent, param, query, readJson } from './respond.ts';

function parseIntParam(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw validationError(name, 'must be a non-negative integer');
  return n;
}

export function registerMockRoutes(app: H3, c: Coordinator): void {
  app.get('/mocks', (event) => {
    const q = query(event);
    const enabledRaw = q.get('enabled');
    if (enabledRaw !== null && enabledRaw !== 'true' && enabledRaw !== 'false') throw validationError('enabled', 'must be true or false');
    const all = c.store.list({
      type: q.get('type') || undefined,
      enabled: enabledRaw === null ? undefined : enabledRaw === 'true',
      search: q.get('search') || undefined,
    });
    const offset = parseIntParam(q, 'offset') ?? 0;
    const limit = parseIntParam(q, 'limit');
    const page = all.slice(offset, limit === undefined ? undefined : offset + limit);
    return json(200, { mocks: page.map((m) => c.view(m)), total: all.length, count: page.length });
  });

  app.post('/mocks', async (event) => {
    const result = await c.changes.create(await readJson(event));
    return json(result.status, result.body);
  });

  app.post('/mocks/bulk', async (event) => {
    const replace = query(event).get('replace') === 'true';
    if (isDryRun(event)) return json(200, await c.changes.previewBulk(await readJson(event), replace));
    const result = await c.changes.bulk(await readJson(event), replace);
    return json(201, result);
  });

  app.get('/mocks/:id', (event) => json(200, c.view(c.requireMock(param(event, 'id')))));

  app.put('/mocks/:id', async (event) => {
    const id = param(event, 'id');
    c.requireMock(id);
    const result = await c.changes.update(id, await readJson(event), { dryRun: isDryRun(event) });
    return json(result.status, result.body);
  });

  app.patch('/mocks/:id', async (event) => {
    const id = param(event, 'id');
    c.requireMock(id);
    const result = await c.changes.patch(id, await readJson(event), { dryRun: isDryRun(event) });
    return json(result.status, result.body);
  });

  app.delete('/mocks/:id', async (event) => {
    if (isDryRun(event)) return json(200, await c.changes.previewDelete(param(event, 'id')));
    await c.changes.delete(param(event, 'id'));
    return noContent();
  });

  app.delete('/mocks', async (event) => {
    if (isDryRun(event)) return json(200, await c.changes.previewDeleteAll(query(event).get('type') ?? undefined));
    await c.changes.deleteAll(query(event).get('type') ?? undefined);
    return noContent();
  });

  app.post('/mocks/:id/toggle', async (event) => {
    const result = await c.changes.toggle(param(event, 'id'));
    return json(result.status, result.body);
  });
}

/** `?dryRun=true` on a mock change: answer what it would do, change nothing (README "Mock changes"). */
function isDryRun(event: Parameters<typeof query>[0]): boolean {
  const v = query(event).get('dryRun');
  if (v !== null && v !== 'true' && v !== 'false') throw validationError('dryRun', 'must be true or false');
  return v === 'true';
}
