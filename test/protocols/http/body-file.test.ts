import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MockdError } from '../../../src/errors.ts';
import { BodyFile } from '../../../src/protocols/http/body-file.ts';
import { tempDir } from '../../helpers/mockd.ts';

describe('BodyFile.resolve', () => {
  const base = resolve('/srv/mocks');
  const allowed: [string, string][] = [
    ['data/user.json', join(base, 'data', 'user.json')],
    ['./user.json', join(base, 'user.json')],
    [resolve('/etc/mockd/user.json'), resolve('/etc/mockd/user.json')],
  ];
  for (const [given, path] of allowed) test(`resolves ${given}`, () => assert.equal(BodyFile.resolve(base, given).path, path));

  for (const given of ['../secret', 'data/../../secret', '/srv/../etc/passwd', 'a\\..\\b', '.']) {
    test(`refuses ${given} with internal_error`, () => {
      assert.throws(() => BodyFile.resolve(base, given), (e: unknown) => e instanceof MockdError && e.code === 'internal_error');
    });
  }
});

describe('BodyFile.render', () => {
  test('returns the bytes untouched without templates, the expanded text with them', async (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'plain.bin'), Buffer.from([1, 2, 3]));
    writeFileSync(join(dir, 'tpl.txt'), 'hi {{request.method}}');
    assert.deepEqual(await BodyFile.resolve(dir, 'plain.bin').render({}), Buffer.from([1, 2, 3]));
    assert.equal(await BodyFile.resolve(dir, 'tpl.txt').render({ request: { method: 'GET' } }), 'hi GET');
  });

  test('rejects with a clear internal_error when the file is missing', async (t) => {
    const dir = tempDir(t);
    await assert.rejects(BodyFile.resolve(dir, 'nope.json').render({}), {
      code: 'internal_error',
      message: 'cannot read bodyFile "nope.json": no such file',
    });
  });
});
