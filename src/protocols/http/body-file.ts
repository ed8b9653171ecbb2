// `response.bodyFile` (contract §3.2): read and templated on every request, so edits to the file show up at once.
// Relative paths resolve against the config file's directory or mockd's working directory (HostOptions.baseDir).

import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { MockdError } from '../../errors.ts';
import { compileTemplate, type Template, type TemplateContext } from '../../templating/index.ts';

export class BodyFile {
  // The last content and its compiled template: a file that did not change is not compiled again.
  #last: { bytes: Buffer; template: Template } | undefined;

  private constructor(
    /** As the mock wrote it, for error messages. */
    readonly given: string,
    readonly path: string,
  ) {}

  /**
   * Resolves `given` against `baseDir`. The schema already refuses `..`; this guard keeps a relative path inside
   * `baseDir` whatever reached the worker. Absolute paths are the user's explicit choice and are taken as they are.
   */
  static resolve(baseDir: string, given: string): BodyFile {
    if (given.split(/[\\/]/).includes('..')) throw bodyFileError(given, 'may not contain ..');
    if (isAbsolute(given)) return new BodyFile(given, given);
    const root = resolve(baseDir);
    const path = resolve(root, given);
    const rel = relative(root, path);
    if (rel === '' || rel.startsWith('..' + sep) || isAbsolute(rel)) throw bodyFileError(given, 'must stay inside the base directory');
    return new BodyFile(given, path);
  }

  /**
   * The body for one request: the file's text with its templates expanded, or its bytes untouched when it holds no
   * `{{` (so binary files are sent as they are). A file that cannot be read is a 500 internal_error, not a crash.
   */
  async render(ctx: TemplateContext): Promise<string | Buffer> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (err) {
      throw bodyFileError(this.given, describeFsError(err));
    }
    if (!bytes.includes('{{')) return bytes;
    let last = this.#last;
    if (last === undefined || !last.bytes.equals(bytes)) {
      const text = bytes.toString('utf8');
      last = this.#last = { bytes, template: compileTemplate(text) };
    }
    return last.template.render(ctx);
  }
}

function bodyFileError(given: string, reason: string): MockdError {
  return new MockdError('internal_error', `cannot read bodyFile ${JSON.stringify(given)}: ${reason}`);
}

function describeFsError(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return (err as Error).message;
  }
}
