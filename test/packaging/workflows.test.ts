// The GitHub Actions workflows: valid against the SchemaStore workflow schema (action-validator, from npm), and
// triggered, matrixed and gated the way the packaging issue asks.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/mockd.ts';
import { run, toolOrSkip } from './tools.ts';

const WORKFLOWS = join(ROOT, '.github', 'workflows');
// The one condition under which an image leaves the runner: a push to main or of a tag, never a pull request.
const PUSH_CONDITION =
  "github.event_name != 'pull_request' && (github.ref == 'refs/heads/main' || startsWith(github.ref, 'refs/tags/'))";

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, { branches?: string[]; tags?: string[] } | null>;
  jobs: Record<string, { strategy?: { matrix?: Record<string, unknown[]> }; steps: Step[] }>;
}

function readWorkflow(name: string): Workflow {
  return parse(readFileSync(join(WORKFLOWS, name), 'utf8')) as Workflow;
}

function allSteps(wf: Workflow): Step[] {
  return Object.values(wf.jobs).flatMap((job) => job.steps);
}

test('every workflow file validates against the GitHub workflow schema', async (t) => {
  const validator = toolOrSkip(t, 'action-validator', '@action-validator/cli');
  if (!validator) return;
  const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
  assert.deepEqual(files.sort(), ['docker.yml', 'test.yml']);
  for (const file of files) {
    const r = await run(process.execPath, [validator, join(WORKFLOWS, file)]);
    assert.equal(r.code, 0, `${file}:\n${r.stdout}${r.stderr}`);
  }
});

describe('test.yml', () => {
  const wf = readWorkflow('test.yml');

  test('runs on pull requests and on pushes to main', () => {
    assert.deepEqual(Object.keys(wf.on).sort(), ['pull_request', 'push']);
    assert.deepEqual(wf.on.push?.branches, ['main']);
  });

  test('runs npm ci and npm test on Node 24 (the primary target) and 20 (the floor) with Chromium installed', () => {
    const [job] = Object.values(wf.jobs);
    assert.deepEqual(job!.strategy?.matrix?.node, [20, 24]);
    const steps = allSteps(wf);
    const setupNode = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    assert.equal(setupNode?.with?.['node-version'], '${{ matrix.node }}');
    const runs = steps.map((s) => s.run?.trim());
    assert.ok(runs.some((r) => r?.startsWith('npm ci')), 'npm ci step');
    assert.ok(runs.includes('npm test'), 'npm test step');
    const chromium = steps.findIndex((s) => s.uses?.startsWith('browser-actions/setup-chrome@'));
    assert.ok(chromium >= 0 && chromium < runs.indexOf('npm test'), 'Chromium is installed before the tests run');
  });
});

describe('docker.yml', () => {
  const wf = readWorkflow('docker.yml');
  const steps = allSteps(wf);

  test('builds on pull requests, pushes to main, v* tags and manual runs', () => {
    assert.deepEqual(Object.keys(wf.on).sort(), ['pull_request', 'push', 'workflow_dispatch']);
    assert.deepEqual(wf.on.push?.branches, ['main']);
    assert.deepEqual(wf.on.push?.tags, ['v*']);
  });

  test('tags the image with docker/metadata-action for ghcr.io', () => {
    const meta = steps.find((s) => s.uses?.startsWith('docker/metadata-action@'));
    assert.match(String(meta?.with?.images), /^ghcr\.io\//);
  });

  test('logs in to ghcr.io and pushes only for main and tags', () => {
    const login = steps.find((s) => s.uses?.startsWith('docker/login-action@'));
    assert.equal(login?.with?.registry, 'ghcr.io');
    assert.equal(login?.if, PUSH_CONDITION);
    const builds = steps.filter((s) => s.uses?.startsWith('docker/build-push-action@'));
    assert.ok(builds.length > 0);
    for (const build of builds) {
      const push = build.with?.push;
      if (push === undefined || push === false) continue;
      assert.equal(push, `\${{ ${PUSH_CONDITION} }}`, `${build.name}: push only for main and tags`);
      assert.equal(build.with?.tags, '${{ steps.meta.outputs.tags }}');
    }
    assert.ok(builds.some((b) => b.with?.push !== undefined && b.with?.push !== false), 'one build step pushes');
  });

  test('smoke-tests the built image before anything is pushed', () => {
    const smoke = steps.findIndex((s) => s.run?.includes('/__mockd/health'));
    const firstPush = steps.findIndex((s) => s.uses?.startsWith('docker/build-push-action@') && s.with?.push !== undefined);
    assert.ok(smoke > 0 && smoke < firstPush, 'smoke test precedes the push');
  });
});
