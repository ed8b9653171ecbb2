#!/usr/bin/env node
// The `mockd` command. A built package runs the compiled JavaScript in dist/; a source checkout registers tsx
// and runs the TypeScript directly (workers register tsx themselves: see src/coordinator/spawn.ts).
import { existsSync } from 'node:fs';

const built = new URL('../dist/src/cli/main.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
