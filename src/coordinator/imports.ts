// Creating the mocks an import produced (POST /import, issue 22): every mock is validated first (the schema and the
// worker-side checks, as a bulk write does), then they are created one by one; if one fails at runtime, the mocks
// this import created are deleted again, so an import is all or nothing.

import { MockdError } from '../errors.ts';
import { parseMock, type MockInput } from '../mocks/schema/index.ts';
import type { Mock } from '../mocks/types.ts';
import type { Coordinator } from './coordinator.ts';
import { materialize } from './mock-changes.ts';

export interface ImportWrite {
  created: number;
  mocks: Mock[];
  warnings: string[];
}

/** `validation error on [2].http.matcher.path: …` names the mock's position in the import. */
function atIndex(err: unknown, i: number, type: string): unknown {
  const e = err as MockdError;
  if (!(e instanceof MockdError) || e.code !== 'validation_error') return err;
  if (e.field?.startsWith('mocks[')) return err;
  const field = `mocks[${i}].${e.field?.replace(/^\[\d+\]\.?/, '') || type}`;
  return new MockdError('validation_error', e.message.replace(/^validation error on [^:]+:/, `validation error on ${field}:`), field);
}

/** Validates raw mocks as a bulk write would, without storing anything; the answer of a dry run. */
export async function checkImported(c: Coordinator, raws: unknown[], replace: boolean): Promise<MockInput[]> {
  const inputs = raws.map((raw, i) => {
    try {
      return parseMock(raw, ['mocks', i]);
    } catch (err) {
      throw atIndex(err, i, 'mock');
    }
  });
  const ids = new Set<string>();
  const now = new Date().toISOString();
  for (const [i, input] of inputs.entries()) {
    if (input.id !== undefined) {
      if (ids.has(input.id)) throw new MockdError('duplicate_id', `duplicate id ${input.id} in the import`, `mocks[${i}].id`);
      if (!replace && c.store.has(input.id)) throw new MockdError('duplicate_id', `a mock with id ${input.id} already exists`, `mocks[${i}].id`);
      ids.add(input.id);
    }
    try {
      await c.poolOfType(input.type).validate(materialize(input, now));
    } catch (err) {
      throw atIndex(err, i, input.type);
    }
  }
  return inputs;
}

export async function writeImported(c: Coordinator, raws: unknown[], replace: boolean): Promise<ImportWrite> {
  await checkImported(c, raws, replace);
  // What the import may change, so that a failure puts it back: every mock when it replaces, else the mocks it
  // merges into (an MQTT or gRPC mock on a port an existing mock holds).
  const before = new Map(c.store.all().map((m) => [m.id, m]));
  if (replace) await c.changes.deleteAll();
  const out: ImportWrite = { created: 0, mocks: [], warnings: [] };
  const createdIds: string[] = [];
  const mergedInto = new Set<string>();
  for (const [i, raw] of raws.entries()) {
    try {
      const result = await c.changes.create(raw);
      const body = result.body as { mock: Mock; warnings?: string[] };
      for (const w of body.warnings ?? []) out.warnings.push(`${body.mock.id}: ${w}`);
      if (result.status === 201) {
        out.created++;
        createdIds.push(body.mock.id);
      } else {
        mergedInto.add(body.mock.id);
        out.warnings.push(`mocks[${i}]: merged into ${body.mock.id}`);
      }
      out.mocks.push(body.mock);
    } catch (err) {
      await rollBack(c, createdIds, mergedInto, replace, before);
      throw atIndex(err, i, 'mock');
    }
  }
  return out;
}

/** Undoes a failed import: its new mocks go, the mocks it merged into get their old version, replaced ones return. */
async function rollBack(c: Coordinator, createdIds: string[], mergedInto: Set<string>, replaced: boolean, before: Map<string, Mock>): Promise<void> {
  for (const id of [...createdIds].reverse()) await c.changes.delete(id).catch(() => undefined);
  for (const id of mergedInto) {
    const old = before.get(id);
    if (old) await c.changes.update(id, old).catch(() => undefined);
  }
  if (replaced) for (const old of before.values()) if (!c.store.has(old.id)) await c.changes.create(old).catch(() => undefined);
}
