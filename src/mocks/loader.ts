// Config files (contract §2): YAML for .yaml/.yml, JSON otherwise; `$VAR` / `${VAR}` expanded from the environment
// before parsing; top level `{version?, mocks: [...]}`, a single mock, or an array of mocks.

import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { MockdError } from '../errors.ts';
import { parseMock, type MockInput } from './schema/index.ts';

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

export async function loadConfigFile(path: string): Promise<MockInput[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`config error in ${path}: ${(err as Error).message}`);
  }
  return parseConfigText(text, path);
}
