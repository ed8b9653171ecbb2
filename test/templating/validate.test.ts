import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, validateTemplate } from '../../src/templating/index.ts';

describe('validateTemplate', () => {
  const valid = [
    'plain text',
    '{"a": {"b": 1}}',
    '{{uuid}}',
    '{{ random.int(1, 10) }} {{random.int 1 10}}',
    `{{default(request.query.x, 'fb')}}`,
    '{{request.body.items[0].name}}',
    '{{unknown.name}}',
    '{"t":{{random.int(18,28)}}}',
  ];
  for (const source of valid) {
    test(`accepts ${JSON.stringify(source)}`, () => assert.equal(validateTemplate(source), undefined));
  }

  const broken: Array<[string, string]> = [
    ['a {{ b', 'unclosed "{{" at offset 2'],
    ['{{}}', 'empty expression'],
    ['{{ upper("x" }}', 'missing ")"'],
    ['{{ upper("x")) }}', 'unexpected ")"'],
    ['{{ "abc }}', 'unterminated string'],
    ['{{ # }}', 'unexpected "#"'],
    ['{{ items[x] }}', 'inside "[ ]"'],
    ['ok {{uuid}} then {{ , }}', 'at offset 17'],
  ];
  for (const [source, expected] of broken) {
    test(`reports ${JSON.stringify(expected)} for ${JSON.stringify(source)}`, () => {
      const error = validateTemplate(source);
      assert.ok(error?.includes(expected), `got ${error}`);
    });
  }

  test('a template it rejects still renders without throwing', () => {
    for (const [source] of broken) assert.equal(typeof compileTemplate(source).render(), 'string');
  });
});
