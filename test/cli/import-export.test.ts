// `mockd import`, `mockd export` and `mockd start --import` (issue 22), run as subprocesses.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { adminClient, runCli, spawnMockd, tempDir } from '../helpers/mockd.ts';
import { CONTRACTS } from '../import/helpers.ts';
import { fetchWithTimeout } from '../helpers/wait.ts';

describe('mockd import', () => {
  test('imports a WireMock folder with its __files, prints what it made and the warnings; --dry-run creates nothing', async (t) => {
    const server = await spawnMockd(t, ['--no-persist']);
    const admin = ['--admin-url', server.adminUrl];
    const dry = await runCli(['import', join(CONTRACTS, 'wiremock'), '--dry-run', ...admin]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Would import 5 mock\(s\) from wiremock /);
    assert.equal((await adminClient(server.adminUrl).api('/mocks')).body.total, 0);

    const r = await runCli(['import', join(CONTRACTS, 'wiremock'), '--prefix', 'wm-', ...admin]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Imported 5 mock\(s\) from wiremock /);
    assert.match(r.stdout, /  wm-get-user  http  get user\n/);
    assert.match(r.stdout, /Warning: flaky health: scenario recovery/);
    const user = await fetchWithTimeout(`${server.mockUrl}/api/users/3`);
    assert.deepEqual(await user.json(), { id: 42, name: 'Grace', email: 'grace@example.com' });
  });

  test('resolves $refs to sibling files and prints JSON with --json; a broken file exits 1 with the position', async (t) => {
    const server = await spawnMockd(t, ['--no-persist']);
    const r = await runCli(['import', join(CONTRACTS, 'petstore-3.0.yaml'), '--json', '--admin-url', server.adminUrl]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.format, 'openapi');
    assert.equal(out.created, 3);
    const dir = tempDir(t);
    const broken = join(dir, 'broken.yaml');
    await import('node:fs/promises').then((fs) => fs.writeFile(broken, 'openapi: 3.0.0\npaths:\n  /a: [\n'));
    const bad = await runCli(['import', broken, '--admin-url', server.adminUrl]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^Error: .*broken\.yaml: cannot parse the file at line \d+, column \d+/);
    const usage = await runCli(['import', broken, '--format', 'raml', '--admin-url', server.adminUrl]);
    assert.equal(usage.code, 2);
  });
});

describe('mockd export', () => {
  test('-f openapi -o FILE writes OpenAPI 3.1; without -o the mockd YAML goes to stdout', async (t) => {
    const server = await spawnMockd(t, ['--no-persist', '--import', join(CONTRACTS, 'petstore-swagger-2.0.json')]);
    const dir = tempDir(t);
    const file = join(dir, 'api.yaml');
    const r = await runCli(['export', '-f', 'openapi', '-o', file, '--admin-url', server.adminUrl]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `Exported openapi to ${file}\n`);
    const doc = parseYaml(readFileSync(file, 'utf8'));
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/pet/{petId}'].get);
    const mockd = await runCli(['export', '--admin-url', server.adminUrl]);
    assert.equal(mockd.code, 0, mockd.stderr);
    const config = parseYaml(mockd.stdout);
    assert.equal(config.mocks.length, 9);
    assert.ok(config.mocks.some((m: any) => m.id === 'petstore-swagger-2.0-getPetById'));
  });
});

describe('mockd start --import', () => {
  test('is repeatable and serves every imported file', async (t) => {
    const server = await spawnMockd(t, ['--no-persist', '--import', join(CONTRACTS, 'recording.har'), '--import', join(CONTRACTS, 'postman-collection.json')]);
    assert.equal((await fetchWithTimeout(`${server.mockUrl}/v1/weather?city=Oslo`)).status, 200);
    assert.equal((await fetchWithTimeout(`${server.mockUrl}/todos`)).status, 200);
  });

  test('a file that cannot be imported stops the start with exit 1 and the reason', async (t) => {
    const dir = tempDir(t);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"openapi": "3.0.0", "paths": {');
    const r = await runCli(['start', '--port', '0', '--admin-port', '0', '--no-persist', '--import', broken]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /import .*broken\.json: cannot parse the file at line 1/);
  });
});
