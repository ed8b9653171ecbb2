// The error catalogue must stay in step with the contract's error table (§8.2), as fastify keeps its errors and
// docs in step: same codes, one status each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_STATUS, MockdError, toMockdError } from '../src/errors.ts';

const CONTRACT = fileURLToPath(new URL('../../shared/contract.md', import.meta.url));

function contractTable(): Map<string, number> {
  const text = readFileSync(CONTRACT, 'utf8');
  const section = text.slice(text.indexOf('### 8.2 Errors'), text.indexOf('### 8.3'));
  const out = new Map<string, number>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').map((c) => c.trim());
    for (let i = 1; i + 1 < cells.length; i += 2) {
      const codes = [...cells[i]!.matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1]!);
      const statuses = cells[i + 1]!.split('/').map((s) => Number(s.trim()));
      if (codes.length === 0 || statuses.some((s) => !Number.isInteger(s))) continue;
      codes.forEach((code, k) => out.set(code, statuses.length === codes.length ? statuses[k]! : statuses[0]!));
    }
  }
  return out;
}

test('the error catalogue has exactly the contract codes with their statuses', { skip: !existsSync(CONTRACT) && 'contract.md not beside the checkout' }, () => {
  const table = contractTable();
  assert.ok(table.size >= 15, `parsed ${table.size} codes from the contract`);
  assert.deepEqual(Object.fromEntries([...table].sort()), Object.fromEntries(Object.entries(ERROR_STATUS).sort()));
});

test('MockdError bodies carry the field only when there is one; unknown errors become internal_error', () => {
  assert.deepEqual(new MockdError('not_found', 'Mock not found').toBody(), { error: 'not_found', message: 'Mock not found' });
  assert.deepEqual(new MockdError('validation_error', 'bad', 'a.b').toBody(), { error: 'validation_error', message: 'bad', field: 'a.b' });
  assert.equal(new MockdError('worker_unavailable', 'x').status, 503);
  assert.equal(toMockdError(new Error('secret detail')).code, 'internal_error');
  assert.equal(toMockdError(new Error('secret detail')).message, 'internal error');
  assert.equal(toMockdError({ code: 'port_conflict', message: 'm' }).status, 409);
});
