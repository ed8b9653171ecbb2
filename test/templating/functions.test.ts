import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate } from '../../src/templating/index.ts';
import { httpContext, render } from './render.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Renders `source` `times` times with one compiled template. */
function draws(source: string, times = 500, ctx = httpContext): string[] {
  const template = compileTemplate(source);
  return Array.from({ length: times }, () => template.render(ctx));
}

describe('time', () => {
  test('now is RFC 3339 UTC to the second, close to the clock', () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const text = render('{{now}}');
    assert.match(text, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.ok(Date.parse(text) >= before && Date.parse(text) <= Date.now(), text);
  });

  for (const name of ['timestamp', 'timestamp.unix', 'TIMESTAMP.Unix']) {
    test(`${name} is whole Unix seconds within a second of Date.now()`, () => {
      const text = render(`{{${name}}}`);
      assert.match(text, /^\d+$/);
      assert.ok(Math.abs(Number(text) - Date.now() / 1000) <= 1, text);
    });
  }

  test('timestamp.unix_ms is Unix milliseconds taken during the render', () => {
    const before = Date.now();
    const value = Number(render('{{timestamp.unix_ms}}'));
    assert.ok(value >= before && value <= Date.now(), String(value));
  });

  test('timestamp.iso is ISO 8601 with milliseconds, close to the clock', () => {
    const before = Date.now();
    const text = render('{{timestamp.iso}}');
    assert.match(text, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(Date.parse(text) >= before && Date.parse(text) <= Date.now(), text);
  });
});

describe('uuid', () => {
  for (const name of ['uuid', 'faker.uuid', 'UUID']) {
    test(`${name} is a fresh v4 UUID each time`, () => {
      const values = draws(`{{${name}}}`, 50);
      for (const v of values) assert.match(v, UUID_V4);
      assert.equal(new Set(values).size, 50);
    });
  }

  test('uuid.short is 8 lowercase hex digits', () => {
    for (const v of draws('{{uuid.short}}', 50)) assert.match(v, /^[0-9a-f]{8}$/);
  });
});

describe('random.int', () => {
  const ctx = { request: { query: { min: '3', max: '6' } } };
  const cases: Array<[string, number, number]> = [
    ['{{random.int}}', 0, 100],
    ['{{random.int()}}', 0, 100],
    ['{{random.int(5, 10)}}', 5, 10],
    ['{{random.int 5 10}}', 5, 10],
    ['{{random.int(-3, 3)}}', -3, 3],
    ['{{random.int(10, 5)}}', 5, 10],
    ['{{random.int(7, 7)}}', 7, 7],
    ['{{random.int("2", "4")}}', 2, 4],
    ['{{random.int(1.5, 4.5)}}', 2, 4],
    ['{{random.int(50)}}', 50, 100],
    ['{{random.int(request.query.min, request.query.max)}}', 3, 6],
  ];
  for (const [source, lo, hi] of cases) {
    test(`${source} stays within ${lo}..${hi} inclusive and reaches both ends`, () => {
      const values = draws(source, 600, ctx).map(Number);
      for (const v of values) assert.ok(Number.isInteger(v) && v >= lo && v <= hi, `${source} gave ${v}`);
      if (hi - lo <= 10) {
        assert.ok(values.includes(lo), `${source} never gave ${lo}`);
        assert.ok(values.includes(hi), `${source} never gave ${hi}`);
      }
    });
  }

  for (const source of ['{{random.int("x", 5)}}', '{{random.int(request.query.nope, 5)}}', '{{random.int(0.2, 0.8)}}']) {
    test(`${source} cannot be resolved and renders ""`, () => assert.equal(render(source, ctx), ''));
  }
});

describe('random.float', () => {
  const cases: Array<[string, number, number]> = [
    ['{{random.float}}', 0, 1],
    ['{{random.float(2.5, 3.5)}}', 2.5, 3.5],
    ['{{random.float 10 -10}}', -10, 10],
  ];
  for (const [source, lo, hi] of cases) {
    test(`${source} stays within ${lo}..${hi} and is not always whole`, () => {
      const values = draws(source, 300).map(Number);
      for (const v of values) assert.ok(Number.isFinite(v) && v >= lo && v <= hi, `${source} gave ${v}`);
      assert.ok(values.some((v) => !Number.isInteger(v)));
    });
  }
});

describe('random.string', () => {
  const cases: Array<[string, number]> = [
    ['{{random.string}}', 10],
    ['{{random.string(3)}}', 3],
    ['{{random.string 25}}', 25],
    ['{{random.string(0)}}', 0],
  ];
  for (const [source, length] of cases) {
    test(`${source} is ${length} alphanumeric characters`, () => {
      for (const v of draws(source, 50)) assert.match(v, new RegExp(`^[A-Za-z0-9]{${length}}$`));
    });
  }

  test('random.string varies between renders', () => assert.ok(new Set(draws('{{random.string}}', 20)).size > 1));

  test('random.string with a negative length renders ""', () => assert.equal(render('{{random.string(-1)}}'), ''));
});

describe('random.element', () => {
  test('picks each of its arguments over many renders and nothing else', () => {
    const values = draws(`{{random.element("a", 'b', 3, request.method)}}`, 400);
    assert.deepEqual([...new Set(values)].sort(), ['3', 'POST', 'a', 'b']);
  });

  test('with one argument always gives it', () => assert.deepEqual(new Set(draws('{{random.element "only"}}', 20)), new Set(['only'])));

  test('with no arguments renders ""', () => assert.equal(render('{{random.element}}'), ''));
});

describe('faker', () => {
  const cases: Array<[string, RegExp]> = [
    ['faker.name', /^[A-Z][a-z]+ [A-Z][a-z]+$/],
    ['faker.email', /^[a-z]+\.[a-z]+\d{1,2}@example\.(com|org|net)$/],
    ['faker.ipv4', /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/],
    ['faker.word', /^[a-z]+$/],
    ['faker.sentence', /^[A-Z][a-z]*( [a-z]+){4,9}\.$/],
    ['faker.number', /^\d{1,4}$/],
    ['FAKER.Name', /^[A-Z][a-z]+ [A-Z][a-z]+$/],
  ];
  for (const [name, pattern] of cases) {
    test(`${name} gives plausible, varying values`, () => {
      const values = draws(`{{${name}}}`, 100);
      for (const v of values) assert.match(v, pattern);
      assert.ok(new Set(values).size > 1, `${name} never varied`);
    });
  }

  test('faker.ipv4 octets are at most 255', () => {
    for (const v of draws('{{faker.ipv4}}', 200)) for (const octet of v.split('.')) assert.ok(Number(octet) <= 255, v);
  });

  test('faker.number is an integer from 0 to 9999', () => {
    for (const v of draws('{{faker.number}}', 500).map(Number)) assert.ok(Number.isInteger(v) && v >= 0 && v <= 9999, String(v));
  });
});

describe('string functions', () => {
  const cases: Array<[string, string]> = [
    ['{{upper(request.body.user.name)}}', 'ADA'],
    ['{{lower(request.method)}}', 'post'],
    ['{{upper "mIx"}}|{{lower "mIx"}}', 'MIX|mix'],
    ['{{upper(request.query.missing)}}', ''],
    ['{{default(request.body.user.name, "fb")}}', 'Ada'],
    ['{{default(request.body.empty, "fb")}}', 'fb'],
    ['{{default(request.body.nothing, "fb")}}', 'fb'],
    ['{{default(request.body.absent, "fb")}}', 'fb'],
    ['{{default(request.body.count, "fb")}}', '3'],
    ['{{default("0", "fb")}}', '0'],
    ['{{default(request.query.missing, request.method)}}', 'POST'],
    ['{{default(request.query.missing)}}', ''],
  ];
  for (const [source, expected] of cases) {
    test(`${source} renders ${JSON.stringify(expected)}`, () => assert.equal(render(source), expected));
  }
});

describe('sequence', () => {
  test('starts at 1 by default and adds 1 per call', () => {
    assert.deepEqual(draws('{{sequence("plain")}}', 3), ['1', '2', '3']);
  });

  test('starts at the given start', () => {
    assert.deepEqual(draws('{{sequence("orders", 100)}}', 3), ['100', '101', '102']);
  });

  test('keeps one counter per name, shared by every template', () => {
    const a = compileTemplate('{{sequence("shared-a", 10)}}');
    const b = compileTemplate('{{Sequence "shared-a"}}');
    const c = compileTemplate('{{sequence("shared-b", 10)}}');
    assert.deepEqual([a.render(), b.render(), c.render(), a.render(), c.render()], ['10', '11', '10', '12', '11']);
  });

  test('uses start only on the first call of a name', () => {
    assert.deepEqual([render('{{sequence("late", 5)}}'), render('{{sequence("late", 50)}}')], ['5', '6']);
  });

  test('counts each call in one render separately', () => {
    assert.equal(render('{{sequence("twice")}}-{{sequence("twice")}}'), '1-2');
  });

  test('accepts a request value as the name', () => {
    assert.deepEqual(draws('{{sequence(request.path)}}', 2), ['1', '2']);
  });
});
