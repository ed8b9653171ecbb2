// The import front door: detect a file's format, run its importer, and name each mock's id from a prefix.
// The admin route (POST /import), `mockd import`, `mockd start --import` and config `imports:` all come here.

import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { validationError } from '../errors.ts';
import { detectFormat, looksLikeProto } from './detect.ts';
import { parseStructured } from './parse-text.ts';
import { IMPORT_FORMATS, type ImportFormat, type ImportOptions, type ImportResult, type ImportSource, type Importer } from './types.ts';

export { IMPORT_FORMATS, type ImportFormat, type ImportResult, type ImportedMock, type ImportOptions } from './types.ts';
export { ImportParseError } from './parse-text.ts';

// Each importer is loaded when a file of its format arrives: the parsers behind them (swagger-parser, protobufjs,
// json-schema-faker) would otherwise slow down every CLI command and every server start.
const IMPORTERS: Record<ImportFormat, () => Promise<Importer>> = {
  openapi: async () => (await import('./openapi.ts')).importOpenApi,
  asyncapi: async () => (await import('./asyncapi.ts')).importAsyncApi,
  proto: async () => (await import('./proto.ts')).importProto,
  wiremock: async () => (await import('./wiremock.ts')).importWireMock,
  postman: async () => (await import('./postman.ts')).importPostman,
  har: async () => (await import('./har.ts')).importHar,
  mockoon: async () => (await import('./mockoon.ts')).importMockoon,
  mockd: async () => (await import('./mockd.ts')).importMockd,
};

export function parseFormat(value: string | undefined | null): ImportFormat | undefined {
  if (value === undefined || value === null || value === '' || value === 'auto') return undefined;
  if (!(IMPORT_FORMATS as readonly string[]).includes(value)) {
    throw validationError('format', `must be one of auto, ${IMPORT_FORMATS.join(', ')}`);
  }
  return value as ImportFormat;
}

/** Imports one file's text; `format` undefined means detect it. */
export async function importText(source: ImportSource, format?: ImportFormat, options: ImportOptions = {}): Promise<ImportResult> {
  if (format === 'proto' || (format === undefined && looksLikeProto(source.text, source.fileName))) {
    return (await IMPORTERS.proto())(source, undefined, options);
  }
  const data = parseStructured(source.text);
  const detected = format ?? detectFormat(data);
  if (detected === undefined) {
    throw validationError('format', 'cannot tell the format of this file: pass format= (openapi, asyncapi, proto, wiremock, postman, har, mockoon, mockd)');
  }
  return (await IMPORTERS[detected]())(source, data, options);
}

/** Imports a file, or a folder: a WireMock root (`mappings/`, `__files/`) or every contract file inside it. */
export async function importPath(path: string, format?: ImportFormat, options: ImportOptions = {}): Promise<ImportResult> {
  const full = resolve(path);
  const info = await stat(full);
  if (info.isDirectory()) {
    const names = (await readdir(full)).sort();
    if (format === 'wiremock' || names.includes('mappings') || basename(full) === 'mappings') {
      return (await import('./wiremock.ts')).importWireMockFolder(full);
    }
    const results: ImportResult[] = [];
    for (const name of names) {
      if (!/\.(ya?ml|json|proto|har)$/i.test(name)) continue;
      results.push(await importPath(join(full, name), format, options));
    }
    return {
      format: results[0]?.format ?? format ?? 'mockd',
      mocks: results.flatMap((r) => r.mocks),
      warnings: results.flatMap((r) => r.warnings),
    };
  }
  const text = await readFile(full, 'utf8');
  return importText({ text, fileName: basename(full), baseDir: dirname(full) }, format, options);
}

/** `<prefix><slug>` ids, made unique and valid; without a prefix the mock keeps its own id (or gets a generated one). */
export function assignIds(result: ImportResult, prefix?: string): Record<string, unknown>[] {
  const used = new Set<string>();
  return result.mocks.map(({ slug, mock }) => {
    if (prefix === undefined) return mock;
    const base = `${prefix}${slug}`.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 120) || 'mock';
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return { ...mock, id };
  });
}
