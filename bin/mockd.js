#!/usr/bin/env node
// The `mockd` command. A source checkout (src/ present) registers tsx and runs the TypeScript directly, so a stale
// build can never shadow the code being worked on; an installed package ships only the compiled JavaScript in dist/.
// Workers register tsx themselves in dev (see src/coordinator/spawn.ts).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/src/cli/main.js', import.meta.url).href);
}
