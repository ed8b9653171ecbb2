import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileJsonTemplate, compileTemplate, renderScalar } from '../../src/templating/index.ts';
import { httpContext } from './render.ts';

describe('compileJsonTemplate', () => {
  test('templates every string and keeps the structure and other values', () => {
    const template = compileJsonTemplate({
      id: '{{request.pathParam.id}}',
      nested: { list: ['{{request.method}}', 1, true, null, { deep: 'x-{{request.query.page}}' }] },
      n: 7,
    });
    assert.equal(template.isStatic, false);
    assert.deepEqual(template.render(httpContext), {
      id: '42',
      nested: { list: ['POST', 1, true, null, { deep: 'x-2' }] },
      n: 7,
    });
  });

  test('renderJson gives compact JSON of the rendered value', () => {
    const template = compileJsonTemplate({ a: '{{request.body.user.name}}', b: [1, '2'] });
    assert.equal(template.renderJson(httpContext), '{"a":"Ada","b":[1,"2"]}');
  });

  test('keeps object keys as written', () => {
    assert.deepEqual(compileJsonTemplate({ '{{uuid}}': '{{request.method}}' }).render(httpContext), { '{{uuid}}': 'POST' });
  });

  test('a value without expressions is static and serialised once', () => {
    const value = { ok: true, list: [1, 'two', { three: null }] };
    const template = compileJsonTemplate(value);
    assert.equal(template.isStatic, true);
    assert.deepEqual(template.render(), value);
    assert.equal(template.renderJson(), JSON.stringify(value));
  });

  test('is not affected by later changes to the compiled input', () => {
    const value = { a: 'x', b: '{{request.method}}' };
    const template = compileJsonTemplate(value);
    value.a = 'changed';
    assert.deepEqual(template.render(httpContext), { a: 'x', b: 'POST' });
  });

  test('renders fresh values for templated strings on every render', () => {
    const template = compileJsonTemplate({ id: '{{uuid}}' });
    const a = template.render() as { id: string };
    const b = template.render() as { id: string };
    assert.notEqual(a.id, b.id);
  });

  test('templates a top-level string and passes scalars through', () => {
    assert.equal(compileJsonTemplate('{{request.method}}').render(httpContext), 'POST');
    assert.equal(compileJsonTemplate(5).renderJson(), '5');
    assert.equal(compileJsonTemplate(null).renderJson(), 'null');
  });

  test('keeps a "__proto__" key as data', () => {
    const rendered = compileJsonTemplate(JSON.parse('{"__proto__":{"x":"{{request.method}}"}}')).renderJson(httpContext);
    assert.equal(rendered, '{"__proto__":{"x":"POST"}}');
  });

  test('leaves numeric-looking results as strings by default', () => {
    assert.deepEqual(compileJsonTemplate({ n: '{{random.int(1,1)}}' }).render(), { n: '1' });
  });
});

describe('compileJsonTemplate with numericResults (SSE random schema)', () => {
  test('sends numeric results as numbers and everything else as text', () => {
    const template = compileJsonTemplate(
      { temp: '{{random.int(18, 28)}}', ratio: '{{random.float}}', name: '{{faker.name}}', lit: '42', zip: '007', n: 3 },
      { numericResults: true },
    );
    for (let i = 0; i < 50; i++) {
      const data = template.render() as Record<string, unknown>;
      assert.equal(typeof data.temp, 'number');
      assert.ok((data.temp as number) >= 18 && (data.temp as number) <= 28);
      assert.equal(typeof data.ratio, 'number');
      assert.equal(typeof data.name, 'string');
      assert.equal(data.lit, 42);
      assert.equal(data.zip, '007');
      assert.equal(data.n, 3);
    }
  });

  test('serialises numeric results without quotes', () => {
    assert.equal(compileJsonTemplate({ v: '{{random.int(5,5)}}' }, { numericResults: true }).renderJson(), '{"v":5}');
  });
});

describe('renderScalar', () => {
  const cases: Array<[string, string | number]> = [
    ['42', 42],
    ['-1.5', -1.5],
    ['0', 0],
    ['1e3', 1000],
    ['abc', 'abc'],
    ['', ''],
    [' 42', ' 42'],
    ['42 ', '42 '],
    ['0x10', '0x10'],
    ['007', '007'],
    ['1.', '1.'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['1e999', '1e999'],
  ];
  for (const [text, expected] of cases) {
    test(`gives ${JSON.stringify(expected)} for the text ${JSON.stringify(text)}`, () => {
      assert.equal(renderScalar(compileTemplate(text)), expected);
    });
  }

  test('gives a number for a numeric expression', () => {
    const value = renderScalar(compileTemplate('{{random.int(1, 3)}}'));
    assert.equal(typeof value, 'number');
  });
});
