// @ts-check
// The piscina task of the response-script pool (contract §3.4): one call runs one script for one request. Plain
// JavaScript so a pool thread starts without tsx (see script-sandbox.mjs). Each thread keeps the compiled sandbox of
// every script it has run, keyed by mock id and replaced when the script text changes.

import { createSandbox } from './script-sandbox.mjs';

/** Enough for any realistic mock set; past it the least recently used sandbox is dropped and rebuilt on demand. */
const MAX_SANDBOXES = 256;

/** @type {Map<string, {source: string, sandbox: import('./script-sandbox.d.mts').Sandbox}>} */
const sandboxes = new Map();

/**
 * @param {import('./script-task.d.mts').ScriptTask} task
 * @returns {import('./script-sandbox.d.mts').SandboxOutcome}
 */
export default function runScriptTask({ key, source, input, deadline }) {
  let entry = sandboxes.get(key);
  if (entry === undefined || entry.source !== source) {
    try {
      entry = { source, sandbox: createSandbox(source) };
    } catch (err) {
      return { kind: 'error', message: String(/** @type {Error} */ (err)?.message ?? err) };
    }
  }
  // Most recently used last, so the first key is the one to evict.
  sandboxes.delete(key);
  sandboxes.set(key, entry);
  if (sandboxes.size > MAX_SANDBOXES) sandboxes.delete(/** @type {string} */ (sandboxes.keys().next().value));

  // The deadline is wall-clock time set by the http worker when the request reached the script, so time spent queued
  // for a free thread counts too (§3.4: the timeout bounds wall-clock time).
  const remaining = Math.floor(deadline - Date.now());
  if (remaining < 1) return { kind: 'timeout' };
  const outcome = entry.sandbox.run(input, remaining);
  // An interrupted context may still hold queued promise jobs of that run; start the next request from a clean one.
  if (outcome.kind === 'timeout') sandboxes.delete(key);
  return outcome;
}
