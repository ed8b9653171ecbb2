// Config files (contract §2): YAML for .yaml/.yml, JSON otherwise; `$VAR` / `${VAR}` expanded from the environment
// before parsing; top level `{version?, mocks: [...]}`, a single mock, or an array of mocks.

import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { MockdError } from '../errors.ts';
import { parseMock, type MockInput } from './schema/index.ts';
import { assignIds, importPath, parseFormat } from '../import/index.ts';

export class ConfigError extends Error {}

export function expandEnv(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced, bare) => env[braced ?? bare] ?? '');
}

export function parseConfigText(text: string, fileName: string): MockInput[] {
  const expanded = expandEnv(text);
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(fileName) ? parseYaml(expanded) : JSON.parse(expanded);
  } catch (err) {
    throw new ConfigError(`config error in ${fileName}: ${(err as Error).message}`);
  }
  let list: unknown[];
  let prefix: string | undefined;
  if (Array.isArray(data)) list = data;
  else if (data && typeof data === 'object' && Array.isArray((data as { mocks?: unknown }).mocks)) {
    list = (data as { mocks: unknown[] }).mocks;
    prefix = 'mocks';
  } else if (data && typeof data === 'object' && Array.isArray((data as { imports?: unknown }).imports)) {
    list = [];
  } else if (data && typeof data === 'object') list = [data];
  else throw new ConfigError(`config error in ${fileName}: expected a mock, an array of mocks or {mocks: [...]}`);

  return list.map((raw, i) => {
    try {
      return parseMock(raw, prefix ? [prefix, i] : Array.isArray(data) ? [i] : []);
    } catch (err) {
      if (err instanceof MockdError) throw new ConfigError(`config error in ${fileName}: ${err.message}`);
      throw err;
    }
  });
}

export type ImportWarn = (message: string) => void;

const warnOnStderr: ImportWarn = (message) => process.stderr.write(`[mockd] warn: ${message}\n`);

export async function loadConfigFile(path: string, warn: ImportWarn = warnOnStderr): Promise<MockInput[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`config error in ${path}: ${(err as Error).message}`);
  }
  const mocks = parseConfigText(text, path);
  return [...mocks, ...(await loadImports(importsOf(text, path), path, warn))];
}

/** A config file's `imports: [{path, format?}]` (issue 22), paths resolved against the file's directory. */
function importsOf(text: string, fileName: string): StartupImport[] {
  const expanded = expandEnv(text);
  const data = /\.ya?ml$/i.test(fileName) ? parseYaml(expanded) : JSON.parse(expanded);
  const list = data && typeof data === 'object' && !Array.isArray(data) ? (data as { imports?: unknown }).imports : undefined;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ConfigError(`config error in ${fileName}: validation error on imports: must be an array`);
  return list.map((entry, i) => {
    const item = typeof entry === 'string' ? { path: entry } : entry;
    if (!item || typeof item.path !== 'string') throw new ConfigError(`config error in ${fileName}: validation error on imports[${i}].path: required`);
    return { path: resolve(dirname(fileName), item.path), format: item.format, validate: item.validate === true };
  });
}

export interface StartupImport {
  path: string;
  format?: string;
  /** OpenAPI: carry each operation's request schema as `http.validation`. */
  validate?: boolean;
}

/**
 * The mocks of contract files imported at startup (`mockd start --import`, config `imports:`). Their ids are
 * `<file name>-<operation>`, so the same file gives the same ids on every start.
 */
export async function loadImports(imports: readonly StartupImport[], origin = '--import', warn: ImportWarn = warnOnStderr): Promise<MockInput[]> {
  const out: MockInput[] = [];
  for (const item of imports) {
    try {
      const result = await importPath(item.path, parseFormat(item.format), { validate: item.validate });
      const prefix = `${basename(item.path).replace(/\.[^.]+$/, '')}-`;
      assignIds(result, prefix).forEach((raw, i) => out.push(parseMock(raw, ['imports', i])));
      for (const w of result.warnings) warn(`import ${item.path}: ${w}`);
    } catch (err) {
      throw new ConfigError(`config error in ${origin}: import ${item.path}: ${(err as Error).message}`);
    }
  }
  return out;
}
