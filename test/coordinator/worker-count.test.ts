// How many members a pool gets (`--workers N|auto`, README "Workers"): where the runtime can share a port and where
// it falls back to one worker per protocol, saying so instead of failing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUTO_MAX_WORKERS, canSharePort, resolveWorkerCount } from '../../src/coordinator/worker-count.ts';

test('a port can be shared from Node 22.12 and 23.1 on, on Linux only', () => {
  const cases: [string, string, boolean][] = [
    ['20.19.0', 'linux', false],
    ['22.11.0', 'linux', false],
    ['22.12.0', 'linux', true],
    ['23.0.0', 'linux', false],
    ['23.1.0', 'linux', true],
    ['24.11.1', 'linux', true],
    ['24.11.1', 'darwin', false],
    ['24.11.1', 'win32', false],
  ];
  for (const [version, platform, expected] of cases) assert.equal(canSharePort(version, platform), expected, `${version} ${platform}`);
});

test('auto takes the available parallelism, at most 8, where a port can be shared', () => {
  assert.deepEqual(resolveWorkerCount('auto', { sharePort: true, cores: 2 }), { workers: 2 });
  assert.deepEqual(resolveWorkerCount(undefined, { sharePort: true, cores: 64 }), { workers: AUTO_MAX_WORKERS });
  assert.deepEqual(resolveWorkerCount('auto', { sharePort: true, cores: 1 }), { workers: 1 });
  assert.deepEqual(resolveWorkerCount(4, { sharePort: true, cores: 2 }), { workers: 4 });
  assert.deepEqual(resolveWorkerCount(1, { sharePort: true, cores: 16 }), { workers: 1 });
});

test('without a sharable port it runs one worker per protocol and says why, never failing', () => {
  const auto = resolveWorkerCount('auto', { sharePort: false, cores: 16 });
  assert.equal(auto.workers, 1);
  assert.match(auto.note!, /one worker per protocol: .*reusePort needs Node >= 22\.12 on Linux/);
  const asked = resolveWorkerCount(4, { sharePort: false, cores: 16 });
  assert.equal(asked.workers, 1);
  assert.match(asked.note!, /--workers 4 ignored/);
  assert.deepEqual(resolveWorkerCount(1, { sharePort: false, cores: 16 }), { workers: 1 });
});
