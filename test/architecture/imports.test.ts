// The house rules of README "How it is built", checked on the code's own imports (type-only ones included):
// no import circle, imports flow onto src/contract, no protocol folder imports another, and a protocol's facts
// (its routes, the protocol list) are written once, in src/contract.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_PROFILES } from '../../src/contract/profiles.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE = /\.(ts|tsx|mts|mjs|js)$/;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) out.push(...filesUnder(rel));
    else if (SOURCE.test(name) && !name.endsWith('.d.mts') && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative imports of a file, as paths from the project root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (!spec.startsWith('.')) continue;
    out.push(relative(root, resolve(root, dirname(file), spec)));
  }
  return out;
}

const files = [...filesUnder('src'), ...filesUnder('workers')];
const graph = new Map(files.map((f) => [f, importsOf(f)]));

const PROTOCOL_FOLDERS = ['http', 'sse', 'websocket', 'mqtt', 'grpc'];
const protocolFolderOf = (f: string) => PROTOCOL_FOLDERS.find((p) => f.startsWith(`src/protocols/${p}/`));
const under = (f: string, ...dirs: string[]) => dirs.some((d) => f.startsWith(d));

/** [from, to, why]: an import from a file under `from` into a file under `to` is not allowed. */
const FORBIDDEN: [string[], string[], string][] = [
  [['src/admin/'], ['src/protocols/'], 'the admin reaches connections only through the coordinator'],
  [['src/protocols/'], ['src/admin/', 'src/cli/', 'src/client/'], 'workers know no HTTP admin and no CLI'],
  [['src/protocols/'], ['src/coordinator/', 'src/server.ts'], 'workers do not call back into the main thread'],
  [['src/mocks/', 'src/templating/', 'src/journal/'], ['src/protocols/', 'src/coordinator/', 'src/admin/'], 'mock data knows no sockets'],
  [['src/contract/'], ['src/protocols/', 'src/coordinator/', 'src/admin/', 'src/cli/', 'src/util/', 'src/errors.ts'], 'the contract is plain data'],
  [['src/cli/', 'src/client/'], ['src/protocols/', 'src/coordinator/', 'src/admin/'], 'the CLI talks to the admin API only'],
  [['src/coordinator/'], ['src/admin/', 'src/cli/', 'src/protocols/'], 'the coordinator reaches workers only over the WorkerApi'],
  [['workers/'], ['src/admin/', 'src/coordinator/', 'src/cli/'], 'a worker entry builds hosts only'],
  [['src/coordinator/', 'src/admin/', 'src/protocols/', 'src/cli/', 'src/mocks/', 'src/journal/', 'src/contract/', 'workers/'], ['src/cluster/'], 'cluster mode plugs in through coordinator.cluster (cluster-hooks.ts), set by server.ts'],
];

test('the import graph of src/ and workers/ has no circle (type-only imports included)', () => {
  const state = new Map<string, 'open' | 'done'>();
  const circles: string[] = [];
  const visit = (f: string, path: string[]) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      circles.push([...path.slice(path.indexOf(f)), f].join(' → '));
      return;
    }
    state.set(f, 'open');
    for (const dep of graph.get(f) ?? []) if (graph.has(dep)) visit(dep, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of files) visit(f, []);
  assert.deepEqual(circles, []);
});

test('imports follow the layering: nothing crosses a forbidden arrow', () => {
  const broken: string[] = [];
  for (const [file, deps] of graph) {
    for (const dep of deps) {
      for (const [from, to, why] of FORBIDDEN) {
        if (under(file, ...from) && under(dep, ...to)) broken.push(`${file} imports ${dep}: ${why}`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test('src/contract imports nothing but contract files and the plain mock and journal types', () => {
  const allowed = (dep: string) => dep.startsWith('src/contract/') || dep === 'src/mocks/types.ts' || dep === 'src/journal/types.ts';
  const broken = [...graph].filter(([f]) => f.startsWith('src/contract/')).flatMap(([f, deps]) => deps.filter((d) => !allowed(d)).map((d) => `${f} imports ${d}`));
  assert.deepEqual(broken, []);
  for (const f of files.filter((f) => f.startsWith('src/contract/'))) {
    const packages = [...readFileSync(join(root, f), 'utf8').matchAll(/\sfrom\s+['"]([^.'"][^'"]*)['"]/g)].map((m) => m[0]);
    for (const p of packages) assert.match(p, /node:/, `${f}: only node: types may come from outside (${p})`);
  }
});

test('no protocol folder imports another, and the mock-port server imports none', () => {
  const broken: string[] = [];
  for (const [file, deps] of graph) {
    const own = protocolFolderOf(file);
    const isMockPort = file.startsWith('src/protocols/mock-port/');
    if (!own && !isMockPort) continue;
    for (const dep of deps) {
      const other = protocolFolderOf(dep);
      if (other && other !== own) broken.push(`${file} imports ${dep}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('a protocol\'s routes and the protocol list are written once, in src/contract', () => {
  const everywhere = [...files, ...filesUnder('dashboard/src')].filter((f) => !f.startsWith('src/contract/'));
  const literals = Object.values(PROTOCOL_PROFILES).flatMap((p) => [`'${p.routes.list}'`, `'${p.routes.stats}'`]);
  literals.push(`'websocket', 'sse', 'mqtt', 'grpc'`);
  const found: string[] = [];
  for (const f of everywhere) {
    const text = readFileSync(join(root, f), 'utf8');
    for (const l of literals) if (text.includes(l)) found.push(`${f}: ${l}`);
  }
  assert.deepEqual(found, []);
});

test('the rules see real imports (a known edge is found)', () => {
  assert.ok(graph.get('workers/http.ts')?.includes('src/protocols/mock-port/server.ts'));
  assert.ok(files.length > 100, `${files.length} files read`);
});
