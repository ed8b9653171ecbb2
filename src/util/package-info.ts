// mockd's own version and build details: the version from the package.json that ships with it (the same file in a
// source checkout and an installed package: it sits above both src/ and dist/src/), the commit and date from the
// dist/build-info.json that `npm run build` writes.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BuildInfo {
  version: string;
  /** The git commit the build was made from, when the build recorded one (`dist/build-info.json`). */
  commit?: string;
  /** When the build was made, ISO 8601. */
  date?: string;
  node: string;
  os: NodeJS.Platform;
  arch: string;
}

function findPackageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if (JSON.parse(readFileSync(candidate, 'utf8')).name === 'mockd') return dir;
      } catch {
        // not a readable package.json: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let cached: BuildInfo | undefined;

export function buildInfo(): BuildInfo {
  if (cached) return cached;
  const root = findPackageRoot();
  let version = '0.0.0';
  let recorded: { commit?: string; date?: string } = {};
  if (root) version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version ?? version;
  // Beside the compiled code only (dist/src/util → dist/build-info.json): a checkout runs src/, and a stale dist/ in
  // it must not lend its commit to the code being worked on.
  const info = fileURLToPath(new URL('../../build-info.json', import.meta.url));
  if (existsSync(info)) {
    try {
      recorded = JSON.parse(readFileSync(info, 'utf8'));
    } catch {
      // a damaged build-info.json only loses the commit and date
    }
  }
  cached = {
    version,
    ...(recorded.commit ? { commit: recorded.commit } : {}),
    ...(recorded.date ? { date: recorded.date } : {}),
    node: process.version,
    os: process.platform,
    arch: process.arch,
  };
  return cached;
}
