import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, isTemplated } from '../../src/templating/index.ts';
import { httpContext, render } from './render.ts';

describe('template syntax', () => {
  const cases: Array<[string, string, string]> = [
    ['keeps text without expressions', 'plain { text } with }} braces', 'plain { text } with }} braces'],
    ['expands an expression inside text', 'Hello {{request.method}}!', 'Hello POST!'],
    ['ignores whitespace inside the braces', '{{   request.method\t}}|{{\nrequest.path\n}}', 'POST|/users/42'],
    ['expands adjacent expressions', '{{request.method}}{{request.path}}', 'POST/users/42'],
    ['calls with parentheses and commas', '{{default(request.query.missing, "fb")}}', 'fb'],
    ['calls with spaces', '{{default request.query.missing "fb"}}', 'fb'],
    ['calls with spaces and commas', '{{default request.query.missing, "fb"}}', 'fb'],
    ['calls with parentheses and no commas', '{{default(request.query.missing "fb")}}', 'fb'],
    ['calls with spaces inside parentheses', '{{ upper( \'abc\' ) }}', 'ABC'],
    ['nests calls', '{{upper(default(request.query.missing, "fb"))}}', 'FB'],
    ['calls a bare function with empty parentheses', '{{lower()}}', ''],
    ['ignores case in function names', '{{UPPER("a")}}{{Lower "B"}}{{DeFault(request.query.x, "c")}}', 'Abc'],
    ['ignores case in request names', '{{Request.Method}} {{REQUEST.PATHPARAM.id}}', 'POST 42'],
    ['renders a double-quoted string literal', '{{"text"}}', 'text'],
    ['renders a single-quoted string literal', "{{'it is'}}", 'it is'],
    ['keeps the other quote inside a string', `{{"it's"}} {{'say "hi"'}}`, `it's say "hi"`],
    ['unescapes backslashes in strings', '{{upper("a\\"b")}}|{{"x\\ny"}}|{{"back\\\\slash"}}', 'A"B|x\ny|back\\slash'],
    ['renders number literals', '{{42}} {{-1.5}} {{2e3}}', '42 -1.5 2000'],
    ['allows "}}" inside a quoted argument', '{{default(request.query.missing, "}}")}}', '}}'],
    ['treats extra opening braces as text', '[{{{request.method}}}]', '[{POST}]'],
    ['reads a name called with empty parentheses', '{{request.path()}}', '/users/42'],
  ];
  for (const [name, source, expected] of cases) {
    test(name, () => assert.equal(render(source), expected));
  }
});

describe('unknown and malformed expressions', () => {
  const cases: Array<[string, string, string]> = [
    ['an unknown name renders ""', 'a{{nope}}b', 'ab'],
    ['an unknown dotted name renders ""', '{{faker.unknown}}{{random}}{{timestamp.nope}}', ''],
    ['an unknown request field renders ""', '{{request.nope}}|{{request}}|{{request.method.x}}', '||'],
    ['an unknown function call renders ""', '{{nope(1, 2)}}', ''],
    ['arguments to a name that is not a function render ""', '{{request.path(1)}}', ''],
    ['an empty expression renders ""', 'a{{}}b{{   }}c', 'abc'],
    ['a missing ")" renders ""', 'a{{ upper("x" }}b', 'ab'],
    ['an extra ")" renders ""', 'a{{ upper("x")) }}b', 'ab'],
    ['an unterminated string renders "" and stops at "}}"', 'a{{ "abc }}b', 'ab'],
    ['a stray character renders ""', 'a{{ # }}b{{ a..b }}c{{ items[ }}d', 'abcd'],
    ['a comma before the first argument renders ""', '{{ upper , "x" }}', ''],
    ['an unclosed "{{" is kept as text', 'a {{ b', 'a {{ b'],
    ['text before an unclosed "{{" is still expanded', '{{request.method}} then {{ oops', 'POST then {{ oops'],
  ];
  for (const [name, source, expected] of cases) {
    test(name, () => assert.equal(render(source), expected));
  }

  test('never throws for odd contexts', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const odd = [
      {},
      { request: {} },
      { request: { body: cyclic } },
      { request: { headers: null as never, query: 5 as never } },
      { extra: { topic: Symbol('x') } },
    ];
    const template = compileTemplate('{{request.body}}{{request.body.self}}{{request.header.x}}{{request.query.q}}{{topic}}');
    for (const ctx of odd) assert.equal(template.render(ctx), '');
  });

  test('renders "" for every request name when no context is given', () => {
    assert.equal(compileTemplate('[{{request.method}}{{request.body.a}}{{topic}}]').render(), '[]');
  });
});

describe('compiled templates', () => {
  test('a template without "{{" is static and renders its source', () => {
    const template = compileTemplate('{"ok":true}');
    assert.equal(template.isStatic, true);
    assert.equal(template.render(httpContext), '{"ok":true}');
  });

  test('a template whose only "{{" is unclosed is static', () => {
    assert.equal(compileTemplate('a {{ b').isStatic, true);
  });

  test('a template with an expression is not static', () => {
    assert.equal(compileTemplate('x{{uuid}}').isStatic, false);
  });

  test('re-evaluates its expressions on every render', () => {
    const template = compileTemplate('{{uuid}}');
    const seen = new Set(Array.from({ length: 20 }, () => template.render()));
    assert.equal(seen.size, 20);
  });

  test('expands the contract MQTT payload example into valid JSON', () => {
    const payload = JSON.parse(render('{"t":{{random.int(18,28)}}}')) as { t: number };
    assert.ok(Number.isInteger(payload.t) && payload.t >= 18 && payload.t <= 28, `t=${payload.t}`);
  });

  test('renders a typical template 200k times well within a second budget', () => {
    const template = compileTemplate('{"id":"{{request.pathParam.id}}","m":"{{request.method}}","q":"{{request.query.page}}"}');
    const started = performance.now();
    let length = 0;
    for (let i = 0; i < 200_000; i++) length += template.render(httpContext).length;
    const elapsedMs = performance.now() - started;
    assert.equal(length, 200_000 * '{"id":"42","m":"POST","q":"2"}'.length);
    assert.ok(elapsedMs < 2000, `took ${elapsedMs.toFixed(0)} ms`);
  });
});

describe('isTemplated', () => {
  const cases: Array<[string, boolean]> = [
    ['{{uuid}}', true],
    ['text {{ x', true],
    ['{ "a": 1 }', false],
    ['}} {', false],
    ['', false],
  ];
  for (const [source, expected] of cases) {
    test(`says ${expected} for ${JSON.stringify(source)}`, () => assert.equal(isTemplated(source), expected));
  }
});
