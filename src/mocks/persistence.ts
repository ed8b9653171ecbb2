// `<dataDir>/mocks.json`, replaced atomically after every change (contract §2): write a temp file, fsync it, rename
// it over the old one, fsync the directory. A crash at any point leaves either the old or the new file, never half.

import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Mock } from './types.ts';

export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  if (env.MOCKD_DATA_DIR) return env.MOCKD_DATA_DIR;
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'mockd');
  return join(homedir(), '.local', 'share', 'mockd');
}

export class DataFileError extends Error {}

export class MockFile {
  readonly path: string;
  #writing: Promise<void> = Promise.resolve();
  #seq = 0;

  constructor(readonly dir: string) {
    this.path = join(dir, 'mocks.json');
  }

  /** Creates the directory and checks it is writable, so a bad data dir fails at startup, not on the first write. */
  async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const probe = join(this.dir, `.mockd-probe-${process.pid}`);
    const fh = await open(probe, 'w');
    await fh.close();
    await rm(probe, { force: true });
  }

  /** The stored mocks; [] when there is no file yet. A file that does not parse is an error, never an empty list. */
  async load(): Promise<Mock[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new DataFileError(`data file ${this.path} is corrupt (${(err as Error).message}); fix or remove it`);
    }
    const mocks = (data as { mocks?: unknown })?.mocks;
    if (!Array.isArray(mocks)) throw new DataFileError(`data file ${this.path} is corrupt: no "mocks" array`);
    return mocks as Mock[];
  }

  /** Serialises writes: each save waits for the previous one, and the last one wins. */
  save(mocks: Mock[]): Promise<void> {
    const body = JSON.stringify({ version: '1.0', mocks }, null, 2);
    this.#writing = this.#writing.catch(() => undefined).then(() => this.#write(body));
    return this.#writing;
  }

  async #write(body: string): Promise<void> {
    const tmp = `${this.path}.${process.pid}.${++this.#seq}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.path);
    const dirHandle = await open(this.dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }
}
