// The Dockerfile: clean under dockerfile-utils' linter (the checker behind VS Code's Dockerfile support, from npm),
// plus the image rules of the packaging issue, read from the parsed instructions. The image itself is built and
// smoke-tested by .github/workflows/docker.yml; this machine has no Docker engine.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/mockd.ts';
import { run, toolOrSkip } from './tools.ts';

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions in order, continuation lines joined and comments dropped, grouped into build stages by FROM. */
function parseStages(text: string): Instruction[][] {
  const stages: Instruction[][] = [];
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const line of logical) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(trimmed) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ') };
    if (instruction.keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

const find = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword);
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const [build = [], runtime = [], ...extra] = parseStages(dockerfile);

test('the Dockerfile passes dockerfile-utils lint without errors or warnings', async (t) => {
  const linter = toolOrSkip(t, 'dockerfile-utils', 'dockerfile-utils');
  if (!linter) return;
  const r = await run(process.execPath, [linter, 'lint', join(ROOT, 'Dockerfile')]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.stdout.trim(), '', 'no diagnostics');
});

describe('the Dockerfile', () => {
  test('has exactly two stages: a node:24 build stage and a node:24-slim runtime (Node 24 LTS is the primary target)', () => {
    assert.equal(extra.length, 0);
    assert.equal(find(build, 'FROM')[0]?.args, 'node:24 AS build');
    assert.equal(find(runtime, 'FROM')[0]?.args, 'node:24-slim');
  });

  test('builds with npm ci and npm run build, then prunes dev dependencies', () => {
    const runs = find(build, 'RUN').map((i) => i.args);
    const ci = runs.findIndex((r) => /^npm ci\b/.test(r));
    const buildAndPrune = runs.findIndex((r) => /npm run build\b.*npm prune --omit=dev/.test(r));
    assert.ok(ci >= 0 && buildAndPrune > ci, runs.join('\n'));
  });

  test('copies only the built output and production modules into the runtime stage', () => {
    const copies = find(runtime, 'COPY').map((i) => i.args);
    assert.ok(copies.every((c) => c.startsWith('--from=build ')), copies.join('\n'));
    for (const path of ['/app/package.json', '/app/node_modules', '/app/bin', '/app/dist']) {
      assert.ok(copies.some((c) => c.includes(` ${path} `)), `copies ${path}`);
    }
    assert.ok(!copies.some((c) => /\/app\/(src|test)\b/.test(c)), 'no TypeScript sources or tests');
  });

  test('runs as the unprivileged node user and exposes the mock and admin ports', () => {
    assert.equal(find(runtime, 'USER').at(-1)?.args, 'node');
    assert.deepEqual(find(runtime, 'EXPOSE').map((i) => i.args), ['4280 4290']);
  });

  test('keeps mocks on a /data volume and binds every interface', () => {
    assert.deepEqual(find(runtime, 'VOLUME').map((i) => i.args), ['/data']);
    assert.match(find(runtime, 'ENV').map((i) => i.args).join(' '), /MOCKD_DATA_DIR=\/data\b/);
    assert.deepEqual(JSON.parse(find(runtime, 'ENTRYPOINT')[0]!.args), ['node', '/app/bin/mockd.js']);
    assert.deepEqual(JSON.parse(find(runtime, 'CMD')[0]!.args), ['start', '--host', '0.0.0.0']);
  });

  test('health-checks /__mockd/health with node fetch (node:24-slim has no curl)', () => {
    const [healthcheck] = find(runtime, 'HEALTHCHECK');
    assert.ok(healthcheck, 'HEALTHCHECK present');
    const command = JSON.parse(healthcheck.args.slice(healthcheck.args.indexOf('CMD ') + 4)) as string[];
    assert.deepEqual(command.slice(0, 2), ['node', '-e']);
    assert.match(command[2]!, /fetch\(.*\/__mockd\/health/);
    assert.doesNotMatch(healthcheck.args, /\bcurl\b|\bwget\b/);
  });
});

test('.dockerignore keeps node_modules, dist, .git and tests out of the build context', () => {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const entry of ['node_modules', 'dist', '.git', 'test']) assert.ok(ignored.includes(entry), entry);
});
