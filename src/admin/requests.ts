// Journal and verification routes of contract §12.

import type { H3 } from 'h3';
import { validationError } from '../errors.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { parseFilter } from '../journal/filter.ts';
import { json, noContent, param, query, readJson } from './respond.ts';

function pageParam(q: URLSearchParams, name: string, fallback: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw validationError(name, 'must be a non-negative integer');
  return n;
}

const VERIFY_KEYS = ['atLeast', 'atMost', 'exactly', 'never'] as const;

/** Checks verify conditions against a count; every given condition must hold. */
export function checkVerify(actual: number, body: Record<string, unknown>): { passed: boolean; expected: string; message: string } {
  const parts: string[] = [];
  let passed = true;
  for (const key of VERIFY_KEYS) {
    const v = body[key];
    if (v === undefined) continue;
    if (key === 'never') {
      if (v !== true) throw validationError('never', 'must be true');
      parts.push('never');
      passed &&= actual === 0;
      continue;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw validationError(key, 'must be a non-negative integer');
    if (key === 'atLeast') {
      parts.push(`at least ${v}`);
      passed &&= actual >= v;
    } else if (key === 'atMost') {
      parts.push(`at most ${v}`);
      passed &&= actual <= v;
    } else {
      parts.push(`exactly ${v}`);
      passed &&= actual === v;
    }
  }
  if (parts.length === 0) throw validationError('body', 'one of atLeast, atMost, exactly or never is required');
  const expected = parts.join(' and ');
  const calls = `${actual} call${actual === 1 ? '' : 's'}`;
  const message = passed ? `Verified: ${calls}, expected ${expected}` : `Verification failed: expected ${expected}, got ${calls}`;
  return { passed, expected, message };
}

export function registerRequestRoutes(app: H3, c: Coordinator): void {
  app.get('/requests', async (event) => {
    const q = query(event);
    const filter = parseFilter(Object.fromEntries(q));
    return json(200, await c.journal.query(filter, { limit: pageParam(q, 'limit', 100), offset: pageParam(q, 'offset', 0) }));
  });

  app.post('/requests/wait', async (event) => {
    const body = (await readJson(event)) as Record<string, unknown>;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw validationError('body', 'must be an object');
    const rawFilter = body.filter ?? {};
    if (typeof rawFilter !== 'object' || rawFilter === null || Array.isArray(rawFilter)) throw validationError('filter', 'must be an object');
    const filter = parseFilter(rawFilter as Record<string, unknown>, 'filter.');
    const count = body.count ?? 1;
    const timeoutMs = body.timeoutMs ?? 5000;
    return json(200, await c.journal.wait(filter, count as number, timeoutMs as number));
  });

  app.get('/requests/:id', async (event) => json(200, await c.journal.get(param(event, 'id'))));

  app.delete('/requests', async () => {
    await c.journal.clear();
    return noContent();
  });

  app.get('/mocks/:id/verify', async (event) => {
    const mock = c.requireMock(param(event, 'id'));
    const valid = parseFilter({ valid: query(event).get('valid') ?? undefined }).valid;
    return json(200, { mockId: mock.id, ...(await c.journal.verifyCount(mock.id, valid)) });
  });

  app.post('/mocks/:id/verify', async (event) => {
    const mock = c.requireMock(param(event, 'id'));
    const body = (await readJson(event)) as Record<string, unknown>;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw validationError('body', 'must be an object');
    const { callCount } = await c.journal.verifyCount(mock.id, parseFilter({ valid: body.valid }).valid);
    const result = checkVerify(callCount, body);
    return json(200, { passed: result.passed, actual: callCount, expected: result.expected, message: result.message });
  });

  app.get('/mocks/:id/invocations', async (event) => {
    const mock = c.requireMock(param(event, 'id'));
    const q = query(event);
    const { requests, count, total } = await c.journal.query({ mockId: mock.id, callsOnly: true }, { limit: pageParam(q, 'limit', 100), offset: pageParam(q, 'offset', 0) });
    return json(200, { invocations: requests, count, total });
  });

  app.delete('/mocks/:id/invocations', async (event) => {
    const mock = c.requireMock(param(event, 'id'));
    const cleared = await c.journal.removeMock(mock.id);
    return json(200, { message: 'Invocations cleared', cleared });
  });
}
