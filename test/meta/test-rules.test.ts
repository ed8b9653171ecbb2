// Rules every test file keeps (issue 27): each test asserts something that can fail, and nothing outside test/helpers
// waits without a bound (an event, a promise, a fetch), so an unmet expectation fails within seconds instead of hanging.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../helpers/mockd.ts';
import { assertingFunctions, codeOnly, testsWithoutAssertion, unboundedWaits, type Finding } from './test-rules.ts';

const TEST_DIR = join(ROOT, 'test');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'fixtures' || name === 'artifacts') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (/\.(ts|mjs|js)$/.test(name)) out.push(full);
  }
  return out;
}

const files = sources(TEST_DIR).map((full) => ({ file: relative(ROOT, full), code: codeOnly(readFileSync(full, 'utf8')) }));
const report = (findings: Finding[]) => findings.map((f) => `${f.file}:${f.line}: ${f.what}`).join('\n');

describe('the test sources', () => {
  test('hold no test that asserts nothing', () => {
    const asserting = assertingFunctions(files.map((f) => f.code));
    const findings = files.filter((f) => f.file.endsWith('.test.ts')).flatMap((f) => testsWithoutAssertion(f.file, f.code, asserting));
    assert.equal(report(findings), '');
  });

  test('hold no unbounded once(), new Promise() or fetch() wait outside test/helpers', () => {
    const findings = files.filter((f) => !f.file.startsWith('test/helpers/') && f.file.endsWith('.ts')).flatMap((f) => unboundedWaits(f.file, f.code));
    assert.equal(report(findings), '');
  });
});

// The checks themselves, on small sources: each rule must catch what it is for, and pass what is fine.
describe('the rules checker', () => {
  const check = (src: string) => {
    const code = codeOnly(src);
    return {
      unasserted: testsWithoutAssertion('x.test.ts', code, assertingFunctions([code])).map((f) => f.line),
      unbounded: unboundedWaits('x.test.ts', code).map((f) => f.line),
    };
  };

  const CASES: [string, string, { unasserted: number[]; unbounded: number[] }][] = [
    ['a test with assert passes', `test('a', () => {\n  assert.equal(1, 1);\n});`, { unasserted: [], unbounded: [] }],
    ['a test with no assertion is caught', `test('a', async () => {\n  await doIt();\n});`, { unasserted: [1], unbounded: [] }],
    ['a test whose only assert is in a comment or string is caught', `test('a', () => {\n  // assert.ok(x)\n  log('assert');\n});`, { unasserted: [1], unbounded: [] }],
    ['a test calling a helper that asserts passes', `function check(x) {\n  assert.ok(x);\n}\ntest('a', () => check(1));`, { unasserted: [], unbounded: [] }],
    ['a helper that asserts through another helper counts', `const inner = (x) => assert.ok(x);\nfunction outer(x) { inner(x); }\ntest('a', () => { outer(1); });`, { unasserted: [], unbounded: [] }],
    ['t.plan counts as an assertion', `test('a', (t) => {\n  t.plan(1);\n});`, { unasserted: [], unbounded: [] }],
    ['test.todo is not a test to check', `test.todo('later');`, { unasserted: [], unbounded: [] }],
    ['once() without a signal is caught', `await once(ws, 'open');`, { unasserted: [], unbounded: [1] }],
    ['once() with a signal passes; a .once() listener is no wait', `await once(ws, 'open', { signal: AbortSignal.timeout(5) });\nws.once('close', f);`, { unasserted: [], unbounded: [] }],
    ['new Promise() on an event alone is caught', `const p = new Promise((r) => ws.on('x', r));`, { unasserted: [], unbounded: [1] }],
    ['new Promise() with a timer passes', `const p = new Promise((r, j) => { setTimeout(() => j(new Error('late')), 5); ws.on('x', r); });`, { unasserted: [], unbounded: [] }],
    ['new Promise() inside a string is not code', `run('await new Promise(() => {})');\nconst s = \`x \${'once(a, b)'} y\`;`, { unasserted: [], unbounded: [] }],
    ['a bare fetch() is caught, one with a signal passes', `await fetch(url);\nawait fetch(url, { signal });`, { unasserted: [], unbounded: [1] }],
    ['a regex with brackets does not upset the reading', `test('a', () => {\n  const re = /^(\\d+\\)$/;\n  assert.match('1', re);\n});`, { unasserted: [], unbounded: [] }],
  ];
  for (const [name, src, expected] of CASES) {
    test(name, () => {
      assert.deepEqual(check(src), expected);
    });
  }
});
