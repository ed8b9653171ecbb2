// `mockd import FILE|DIR` and `mockd export` (issue 22). The CLI reads and converts the file itself, so `$ref`s to
// sibling files, proto imports and WireMock `__files` resolve against the file's folder, then sends the mocks to
// POST /import (all or nothing, like the server-side import of a file's text).

import { writeFile } from 'node:fs/promises';
import { assignIds, importPath, parseFormat } from '../../import/index.ts';
import { CliError } from '../client.ts';
import { print, printJson } from '../output.ts';
import { intOption, str, UsageError, type CommandDef } from '../registry.ts';

const importCommand: CommandDef = {
  path: ['import'],
  args: '<path>',
  description: 'Import mocks from an OpenAPI, AsyncAPI, proto, WireMock, Postman, HAR, Mockoon or mockd file (or a folder)',
  options: [
    ['--format <format>', 'auto | openapi | asyncapi | proto | wiremock | postman | har | mockoon | mockd', { default: 'auto' }],
    ['--dry-run', 'Validate and show the mocks without creating them'],
    ['--replace', 'Delete every existing mock first'],
    ['--prefix <prefix>', 'Give the mocks ids <prefix><operation>'],
    ['--validate', 'OpenAPI: reject requests that break the spec with 400'],
    ['--seed <n>', 'Seed of generated examples'],
    ['--stream-count <n>', 'protobuf: messages per generated stream (default 100)'],
  ],
  async action([path], o, { client, json }) {
    let format;
    try {
      format = parseFormat(str(o.format));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    let result;
    try {
      result = await importPath(path!, format, { validate: o.validate === true, seed: intOption(o.seed, 'seed'), streamCount: intOption(o.streamCount, 'stream-count') });
    } catch (err) {
      throw new CliError(`${path}: ${(err as Error).message}`, 1, 'validation_error');
    }
    const prefix = str(o.prefix);
    const params = new URLSearchParams({ format: 'mockd' });
    if (o.dryRun) params.set('dryRun', 'true');
    if (o.replace) params.set('replace', 'true');
    const answer = await client.post<{ created?: number; mocks: { id?: string; type: string; name: string }[]; warnings: string[] }>(
      `/import?${params}`,
      { mocks: assignIds(result, prefix) },
    );
    const warnings = [...result.warnings, ...answer.warnings];
    if (json) return printJson({ ...answer, format: result.format, warnings });
    const verb = o.dryRun ? 'Would import' : 'Imported';
    print(`${verb} ${answer.mocks.length} mock(s) from ${result.format} ${path}`);
    for (const m of answer.mocks) print(`  ${m.id ?? '(new id)'}  ${m.type}  ${m.name}`);
    for (const w of warnings) print(`Warning: ${w}`);
  },
};

const exportCommand: CommandDef = {
  path: ['export'],
  description: 'Export every mock as mockd YAML, OpenAPI 3.1 or AsyncAPI 3.0',
  options: [
    ['-f, --format <format>', 'mockd | openapi | asyncapi', { default: 'mockd' }],
    ['-o, --output <file>', 'Write to this file instead of stdout'],
  ],
  async action(_args, o, { client, json }) {
    const format = String(o.format);
    if (!['mockd', 'openapi', 'asyncapi'].includes(format)) throw new UsageError('--format must be mockd, openapi or asyncapi');
    const body = json ? await client.get(`/export?format=${format}&as=json`) : await client.request('GET', `/export?format=${format}`);
    const text = typeof body === 'string' ? body : `${JSON.stringify(body, null, 2)}\n`;
    if (o.output) {
      await writeFile(String(o.output), text);
      if (json) printJson({ format, file: String(o.output) });
      else print(`Exported ${format} to ${o.output}`);
    } else process.stdout.write(text);
  },
};

export const importExportCommands: CommandDef[] = [importCommand, exportCommand];
