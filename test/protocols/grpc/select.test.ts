import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GrpcMethodConfig } from '../../../src/mocks/types.ts';
import { selectMethodConfig, type CallFacts } from '../../../src/protocols/grpc/select.ts';

const catchAll: GrpcMethodConfig = { response: { message: 'catch-all' } };
const gold: GrpcMethodConfig = { match: { metadata: { 'x-tier': 'gold' } }, response: { message: 'gold' } };
const anyAuth: GrpcMethodConfig = { match: { metadata: { Authorization: '*' } }, response: { message: 'auth' } };
const ada: GrpcMethodConfig = { match: { request: { name: 'Ada' } }, response: { message: 'ada' } };
const nested: GrpcMethodConfig = { match: { request: { 'user.id': 7 } }, response: { message: 'nested' } };
const tags: GrpcMethodConfig = { match: { request: { tags: ['a', 'b'] } }, response: { message: 'tags' } };
const big: GrpcMethodConfig = { match: { request: { count: 5 } }, response: { message: 'int64' } };

const facts = (request: unknown, metadata: Record<string, string[]> = {}): CallFacts => ({ request, metadata });
const pick = (config: GrpcMethodConfig, f: CallFacts) => (selectMethodConfig(config, f)?.response as { message: string } | undefined)?.message;

const cases: { name: string; config: GrpcMethodConfig; facts: CallFacts; expected: string | undefined }[] = [
  { name: 'a lone catch-all answers everything', config: catchAll, facts: facts({}), expected: 'catch-all' },
  { name: 'a metadata value matches', config: { ...catchAll, variants: [gold] }, facts: facts({}, { 'x-tier': ['gold'] }), expected: 'gold' },
  { name: 'a metadata value must be equal', config: { ...catchAll, variants: [gold] }, facts: facts({}, { 'x-tier': ['silver'] }), expected: 'catch-all' },
  { name: 'any of several metadata values may match', config: { ...catchAll, variants: [gold] }, facts: facts({}, { 'x-tier': ['silver', 'gold'] }), expected: 'gold' },
  { name: '"*" needs only presence, keys ignoring case', config: { ...catchAll, variants: [anyAuth] }, facts: facts({}, { authorization: ['x'] }), expected: 'auth' },
  { name: '"*" fails when absent', config: { ...catchAll, variants: [anyAuth] }, facts: facts({}), expected: 'catch-all' },
  { name: 'a request field matches', config: { ...catchAll, variants: [ada] }, facts: facts({ name: 'Ada' }), expected: 'ada' },
  { name: 'a request field must be equal', config: { ...catchAll, variants: [ada] }, facts: facts({ name: 'Bob' }), expected: 'catch-all' },
  { name: 'a dotted field reaches into a nested message', config: { ...catchAll, variants: [nested] }, facts: facts({ user: { id: 7 } }), expected: 'nested' },
  { name: 'arrays compare deeply', config: { ...catchAll, variants: [tags] }, facts: facts({ tags: ['a', 'b'] }), expected: 'tags' },
  { name: 'arrays compare in order', config: { ...catchAll, variants: [tags] }, facts: facts({ tags: ['b', 'a'] }), expected: 'catch-all' },
  { name: 'a number matches a 64-bit integer read as a string', config: { ...catchAll, variants: [big] }, facts: facts({ count: '5' }), expected: 'int64' },
  { name: 'conditioned candidates win over a catch-all listed first', config: { ...catchAll, variants: [ada] }, facts: facts({ name: 'Ada' }), expected: 'ada' },
  { name: 'the first holding match wins, in order', config: { ...ada, variants: [gold, catchAll] }, facts: facts({ name: 'Ada' }, { 'x-tier': ['gold'] }), expected: 'ada' },
  { name: 'the first catch-all answers when no match holds', config: { ...ada, variants: [{ response: { message: 'first' } }, { response: { message: 'second' } }] }, facts: facts({ name: 'x' }), expected: 'first' },
  { name: 'nothing answers when only conditioned candidates fail', config: { ...ada, variants: [gold] }, facts: facts({ name: 'x' }), expected: undefined },
  { name: 'an empty match always holds', config: { match: {}, response: { message: 'empty' } }, facts: facts({}), expected: 'empty' },
];

for (const c of cases) {
  test(`selectMethodConfig: ${c.name}`, () => {
    assert.equal(pick(c.config, c.facts), c.expected);
  });
}
