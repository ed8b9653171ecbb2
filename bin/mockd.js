#!/usr/bin/env node
// The `mockd` command. An installed package ships only the compiled JavaScript in dist/. In a source checkout
// (src/ present), the sources are compiled by esbuild into a cache keyed by their sizes and mtimes
// (scripts/checkout-cache.mjs), so a command starts as fast as the installed package and an edited source is never
// shadowed by old output. `mockd bench` (its runner is TypeScript), MOCKD_TSX=1, and a checkout whose cache cannot be
// built (a read-only node_modules) run the sources through tsx.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);

async function compiledEntry() {
  // Any `bench` word (not only the first) picks tsx: a false positive only costs the tsx start-up.
  if (process.env.MOCKD_TSX === '1' || process.argv.slice(2).includes('bench')) return undefined;
  try {
    const { compiledCliEntry } = await import(new URL('../scripts/checkout-cache.mjs', import.meta.url).href);
    return await compiledCliEntry();
  } catch {
    return undefined;
  }
}

if (!existsSync(source)) {
  await import(new URL('../dist/src/cli/main.js', import.meta.url).href);
} else {
  const compiled = await compiledEntry();
  if (compiled) {
    await import(compiled);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import(source.href);
  }
}
