import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startMockd as start } from '../../src/server.ts';
import { runCli, spawnMockd, startMockd, tempDir } from '../helpers/mockd.ts';
import { fetchWithTimeout, within } from '../helpers/wait.ts';

test('mocks survive a restart with --data-dir, with the same id, enabled and createdAt', async (t) => {
  const dir = tempDir(t);
  const first = await start({ port: 0, adminPort: 0, dataDir: dir, logLevel: 'error' });
  const created = await fetchWithTimeout(`${first.adminUrl}/mocks`, {
    method: 'POST',
    body: JSON.stringify({ id: 'kept', http: { matcher: { path: '/kept' }, response: { statusCode: 203, body: 'still here' } } }),
  }).then((r) => r.json());
  const off = await fetchWithTimeout(`${first.adminUrl}/mocks`, {
    method: 'POST',
    body: JSON.stringify({ id: 'off', enabled: false, http: { matcher: { path: '/off' }, response: { statusCode: 200 } } }),
  }).then((r) => r.json());
  await first.close();
  const saved = JSON.parse(readFileSync(join(dir, 'mocks.json'), 'utf8'));
  assert.deepEqual(saved.mocks.map((m: any) => m.id), ['kept', 'off']);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp files left behind');

  const second = await start({ port: 0, adminPort: 0, dataDir: dir, logLevel: 'error' });
  t.after(() => second.close());
  const list = await fetchWithTimeout(`${second.adminUrl}/mocks`).then((r) => r.json());
  assert.deepEqual(list.mocks.map((m: any) => [m.id, m.enabled, m.createdAt]), [
    ['kept', true, created.mock.createdAt],
    ['off', false, off.mock.createdAt],
  ]);
  const res = await fetchWithTimeout(`${second.mockUrl}/kept`);
  assert.equal(res.status, 203);
  assert.equal(await res.text(), 'still here');
});

test('--no-persist writes nothing to the data dir', async (t) => {
  const dir = tempDir(t);
  const m = await startMockd(t, { dataDir: dir, persist: false });
  await m.createMock({ http: { matcher: { path: '/x' }, response: { statusCode: 200 } } });
  assert.deepEqual(readdirSync(dir), []);
});

test('a corrupt data file refuses to start with a clear message instead of dropping mocks', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'mocks.json'), '{"mocks": [ {"id": "half');
  const r = await runCli(['start', '--port', '0', '--admin-port', '0', '--data-dir', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /corrupt/);
  assert.equal(readFileSync(join(dir, 'mocks.json'), 'utf8'), '{"mocks": [ {"id": "half', 'the file is left untouched');
});

test('--config loads a YAML file with $VAR expansion and relative ids, and leaves the file unmodified', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'mocks.yaml');
  const yaml = `version: "1.0"
mocks:
  - id: from-yaml
    name: \${MOCK_NAME}
    http:
      matcher: { method: GET, path: /yaml }
      response:
        statusCode: 200
        body: { greeting: "$GREETING", list: [1, 2] }
`;
  writeFileSync(file, yaml);
  process.env.GREETING = 'hello from env';
  process.env.MOCK_NAME = 'yaml mock';
  t.after(() => {
    delete process.env.GREETING;
    delete process.env.MOCK_NAME;
  });
  const m = await startMockd(t, { config: file, persist: true });
  const res = await fetchWithTimeout(`${m.mockUrl}/yaml`);
  assert.deepEqual(await res.json(), { greeting: 'hello from env', list: [1, 2] });
  assert.equal((await m.api('/mocks/from-yaml')).body.name, 'yaml mock');
  await m.createMock({ http: { matcher: { path: '/in-memory' }, response: { statusCode: 200 } } });
  assert.equal(readFileSync(file, 'utf8'), yaml);
});

test('--config loads a JSON array and a single mock', async (t) => {
  const dir = tempDir(t);
  const arrayFile = join(dir, 'array.json');
  writeFileSync(arrayFile, JSON.stringify([{ http: { matcher: { path: '/one' }, response: { statusCode: 201 } } }, { matcher: { path: '/two' }, response: { statusCode: 202 } }]));
  const a = await startMockd(t, { config: arrayFile });
  assert.equal((await fetchWithTimeout(`${a.mockUrl}/one`)).status, 201);
  assert.equal((await fetchWithTimeout(`${a.mockUrl}/two`)).status, 202);
  const singleFile = join(dir, 'single.json');
  writeFileSync(singleFile, JSON.stringify({ http: { matcher: { path: '/single' }, response: { statusCode: 204 } } }));
  const s = await startMockd(t, { config: singleFile });
  assert.equal((await fetchWithTimeout(`${s.mockUrl}/single`)).status, 204);
});

test('an invalid mock in a config file exits 1 naming the file and the field', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ mocks: [{ http: { matcher: { path: '/a' }, response: { statusCode: 200 } } }, { http: { matcher: { path: '/b' }, response: { statusCode: 200 } } }, { http: { matcher: { path: '/c' }, response: { statusCode: 999 } } }] }));
  const r = await runCli(['start', '--port', '0', '--admin-port', '0', '--config', file]);
  assert.equal(r.code, 1);
  assert.ok(r.stderr.includes(`config error in ${file}: validation error on mocks[2].http.response.statusCode: must be between 100 and 599`), r.stderr);
});

test('a busy admin port prints the error and exits 1', async (t) => {
  const m = await spawnMockd(t, ['--no-persist']);
  const port = new URL(m.adminUrl).port;
  const r = await runCli(['start', '--port', '0', '--admin-port', port, '--no-persist']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /admin port \d+ is not available/);
});

test('a kill in the middle of writes leaves a readable data file with every acknowledged mock', async (t) => {
  const dir = tempDir(t);
  const m = await spawnMockd(t, ['--data-dir', dir]);
  const acked: string[] = [];
  const unanswered: string[] = [];
  const create = async (i: number, onAck?: () => void) => {
    let res: Response;
    try {
      res = await fetchWithTimeout(`${m.adminUrl}/mocks`, {
        method: 'POST',
        body: JSON.stringify({ id: `m${i}`, http: { matcher: { path: `/p${i}` }, response: { statusCode: 200, body: 'x'.repeat(2000) } } }),
      });
    } catch {
      unanswered.push(`m${i}`);
      return;
    }
    // Any answer but 201 is a failure, not a write to leave out.
    assert.equal(res.status, 201, `m${i}: ${await res.text()}`);
    acked.push(`m${i}`);
    onAck?.();
  };
  for (let i = 0; i < 20; i++) await create(i);
  // 30 writes at once: mockd saves one at a time (fsync, rename, fsync), so when the first of them is acknowledged the
  // others are still queued or being written. That acknowledgement is the moment of the kill.
  const inflight = Array.from({ length: 30 }, (_, k) => create(20 + k, () => void m.child.kill('SIGKILL')));
  await within(Promise.all(inflight), 'the 30 concurrent creates settling after the kill', 15_000);
  assert.equal((await m.stop()), null, 'mockd died by the kill');

  assert.ok(acked.length >= 21, `at least the 20 sequential writes and the one that triggered the kill were acknowledged: ${acked.length}`);
  assert.ok(unanswered.length >= 1, `the kill landed while writes were still in flight (acknowledged ${acked.length} of 50)`);
  assert.equal(acked.length + unanswered.length, 50);
  const saved = JSON.parse(readFileSync(join(dir, 'mocks.json'), 'utf8'));
  const ids: string[] = saved.mocks.map((x: any) => x.id);
  const again = await startMockd(t, { dataDir: dir, persist: true });
  const listed: string[] = (await again.api('/mocks')).body.mocks.map((x: any) => x.id);
  assert.deepEqual(listed, ids, 'the restarted mockd serves what the file holds');
  assert.deepEqual(acked.filter((id) => !listed.includes(id)), [], 'every acknowledged mock is there after the restart');
});
