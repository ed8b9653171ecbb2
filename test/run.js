#!/usr/bin/env node
// Runs the suite with node:test. Node 20's `node --test` finds no .ts files on its own (and would exit 0 having run
// nothing), so the test files are listed here explicitly: every test/**/*.test.ts, or the files given as arguments,
// a directory standing for every *.test.ts under it. A run that executes no test fails: a second reporter
// (count-reporter.mjs) writes one line per finished test to a file, and that says how many ran.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'artifacts' || name === 'fixtures' || name === 'node_modules') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out;
}

function expand(arg) {
  const full = resolve(root, arg);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    console.error(`test/run.js: no such file or directory: ${arg}`);
    process.exit(1);
  }
  return stat.isDirectory() ? collect(full).sort() : [arg];
}

const args = process.argv.slice(2);
const files = args.length > 0 ? [...new Set(args.flatMap(expand))] : collect(join(root, 'test')).sort();
if (files.length === 0) {
  console.error(`test/run.js: no *.test.ts files in ${args.join(' ') || 'test/'}`);
  process.exit(1);
}

const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const summaryDir = mkdtempSync(join(tmpdir(), 'mockd-run-'));
const summaryFile = join(summaryDir, 'tests.txt');
// The reporter a plain `node --test` would pick (spec on a terminal, TAP otherwise), plus the counter into a file.
const shown = process.stdout.isTTY ? 'spec' : 'tap';
const child = spawn(
  process.execPath,
  [
    '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-timeout=120000',
    `--test-reporter=${shown}`, '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'test', 'count-reporter.mjs')}`, `--test-reporter-destination=${summaryFile}`,
    ...files,
  ],
  // Its own process group, so a watchdog can end every test file process with it.
  { cwd: root, stdio: 'inherit', detached: true },
);
const killGroup = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => killGroup(signal));
// A hang that no per-test timeout catches (a process kept alive after its tests) must not eat CI's time: the whole run
// is bounded (MOCKD_TEST_DEADLINE_S, default 25 minutes) and fails when it runs out.
const deadlineS = Number(process.env.MOCKD_TEST_DEADLINE_S ?? 1500);
const watchdog = setTimeout(() => {
  console.error(`test/run.js: the run did not finish within ${deadlineS} s; ending it`);
  killGroup('SIGKILL');
}, deadlineS * 1000);
watchdog.unref();
child.on('exit', (code, signal) => {
  clearTimeout(watchdog);
  let lines = [];
  try {
    lines = readFileSync(summaryFile, 'utf8').split('\n').filter(Boolean);
  } catch {
    // no file written: counted as no test run
  }
  rmSync(summaryDir, { recursive: true, force: true });
  const ran = lines.filter((l) => l.startsWith('ran ')).length;
  for (const l of lines.filter((l) => l.startsWith('empty '))) console.error(`test/run.js: ${relative(root, l.slice(6))} ran no test (it defines none, or failed to load)`);
  if (ran === 0) {
    const shownFiles = files.slice(0, 5).join(', ') + (files.length > 5 ? ', …' : '');
    console.error(`test/run.js: no test ran (${files.length} file(s): ${shownFiles}); failing the run`);
    process.exit(1);
  }
  process.exit(signal ? 1 : (code ?? 1));
});
