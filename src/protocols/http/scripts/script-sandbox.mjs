// @ts-check
// One response script in its own `node:vm` context (contract §3.4). Plain JavaScript on purpose: it runs in piscina
// threads, which load their task file by path and cannot register tsx on Node 20 (see src/coordinator/spawn.ts).
//
// What keeps a script contained:
// - The context is created from a null-prototype object, so the global sees only V8's built-ins: no `require`,
//   `process`, timers or `import()` (a vm.Script without `importModuleDynamically` rejects it).
// - `codeGeneration: {strings: false, wasm: false}` makes `eval`, `Function(...)` and `WebAssembly.compile` throw, and
//   the context's `Function` is the only one a script can reach.
// - `microtaskMode: 'afterEvaluate'` drains the script's promise jobs inside runInContext, so the vm `timeout` covers
//   `await`s and busy loops after them, not only the synchronous start.
// - Nothing but strings crosses the boundary: the request goes in as JSON text and is parsed inside, and the outcome
//   comes out as JSON text built inside (under the timeout), so no object of one realm is touched by the other.
//
// Run it only on a thread without async hooks (no AsyncLocalStorage, no diagnostics hooks), as piscina's task threads
// are: a timeout that interrupts promise jobs there leaves node's async-hook stack unbalanced, which kills the process.

import vm from 'node:vm';

const CONTEXT_OPTIONS = /** @type {const} */ ({
  codeGeneration: { strings: false, wasm: false },
  microtaskMode: 'afterEvaluate',
});

const AsyncFunction = /** @type {new (...args: string[]) => unknown} */ (Object.getPrototypeOf(async () => {}).constructor);

const INVOKE = new vm.Script('__mockd_run(__mockd_input)', { filename: 'mockd-script-invoke.js' });
const COLLECT = new vm.Script('__mockd_collect()', { filename: 'mockd-script-collect.js' });

/** Marks the run result "still pending": the script's promise did not settle when its jobs ran out. */
const PENDING = '"pending"';

/**
 * Compiles `source` as `async function (request) { <source> }` in a fresh context.
 * Throws the SyntaxError of an invalid body.
 * @param {string} source
 * @returns {{ run(input: string, timeoutMs: number): import('./script-sandbox.d.mts').SandboxOutcome }}
 */
export function createSandbox(source) {
  // The schema checks this on create (§3.4); checking again here keeps the wrapper below sound whatever the caller:
  // V8 refuses a body that would close the function early ("Single function literal required").
  new AsyncFunction('request', source);
  const globals = Object.create(null);
  Object.defineProperty(globals, '__mockd_input', { value: '', writable: true, enumerable: false, configurable: false });
  const context = vm.createContext(globals, CONTEXT_OPTIONS);
  new vm.Script(wrap(source), { filename: 'mockd-script.js' }).runInContext(context, { timeout: 1000 });
  return {
    run(input, timeoutMs) {
      try {
        globals.__mockd_input = input;
        INVOKE.runInContext(context, { timeout: timeoutMs });
        const text = COLLECT.runInContext(context, { timeout: timeoutMs });
        if (typeof text !== 'string') return { kind: 'error', message: 'script runner was tampered with' };
        if (text === PENDING) return { kind: 'pending' };
        return JSON.parse(text);
      } catch (err) {
        if (/** @type {{code?: string}} */ (err)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { kind: 'timeout' };
        return { kind: 'error', message: messageOf(err) };
      }
    },
  };
}

/** @param {unknown} err */
function messageOf(err) {
  try {
    return typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
  } catch {
    return 'script failed';
  }
}

// Runs once per context, before any user code: it keeps its own references to the built-ins it needs, so a script that
// replaces JSON.stringify or Promise.prototype.then later cannot change how its outcome is read, and it pins the two
// entry points as non-writable so a script cannot replace them either.
/** @param {string} source */
function wrap(source) {
  return `(() => {
const create = Object.create, parse = JSON.parse, stringify = JSON.stringify, then = Promise.prototype.then;
const apply = Reflect.apply, isArray = Array.isArray, keys = Object.keys, define = Object.defineProperty;
const toStr = String, isInteger = Number.isInteger, test = RegExp.prototype.test;
const TOKEN = /^[!#$%&'*+\\-.^_\`|~0-9A-Za-z]+$/;
const script = async function (request) {
${source}
};
let current = null;
function messageOf(e) {
  try {
    return typeof e === 'object' && e !== null && 'message' in e ? toStr(e.message) : toStr(e);
  } catch {
    return 'script threw a value that cannot be shown';
  }
}
function outcomeOf(value) {
  if (typeof value !== 'object' || value === null || isArray(value)) {
    const kind = value === null ? 'null' : isArray(value) ? 'an array' : typeof value;
    return { kind: 'error', message: 'script must return an object {statusCode?, headers?, body?}, got ' + kind };
  }
  const out = { kind: 'result' };
  const statusCode = value.statusCode;
  if (statusCode !== undefined) {
    if (!isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
      return { kind: 'error', message: 'script returned an invalid statusCode: ' + toStr(statusCode) };
    }
    out.statusCode = statusCode;
  }
  const headers = value.headers;
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== 'object' || isArray(headers)) return { kind: 'error', message: 'script headers must be an object' };
    const pairs = [];
    for (const name of keys(headers)) {
      if (!apply(test, TOKEN, [name])) return { kind: 'error', message: 'script returned an invalid header name: ' + name };
      const v = headers[name];
      if (v !== undefined && v !== null) pairs.push([name, toStr(v)]);
    }
    out.headers = pairs;
  }
  const body = value.body;
  if (body !== undefined) {
    if (typeof body === 'string') out.body = body;
    else {
      const json = stringify(body);
      if (json === undefined) return { kind: 'error', message: 'script body cannot be sent as JSON (' + typeof body + ')' };
      out.body = json;
      out.bodyIsJson = true;
    }
  }
  return out;
}
function settle(state, make) {
  let outcome;
  try {
    outcome = make();
  } catch (e) {
    outcome = { kind: 'error', message: messageOf(e) };
  }
  state.text = stringify(outcome);
}
define(globalThis, '__mockd_run', { value(input) {
  const state = create(null);
  state.text = ${JSON.stringify(PENDING)};
  current = state;
  let promise;
  try {
    promise = script(parse(input));
  } catch (e) {
    settle(state, () => ({ kind: 'error', message: messageOf(e) }));
    return;
  }
  apply(then, promise, [
    (value) => settle(state, () => outcomeOf(value)),
    (e) => settle(state, () => ({ kind: 'error', message: messageOf(e) })),
  ]);
} });
define(globalThis, '__mockd_collect', { value() {
  const state = current;
  current = null;
  return state === null ? ${JSON.stringify(PENDING)} : state.text;
} });
})();`;
}
