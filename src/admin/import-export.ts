// POST /import and GET /export (issue 22). An import reads the file's text (any format mockd knows, detected when
// `format` is absent or `auto`), turns it into mocks, and creates them all or none; `dryRun=true` only validates.
// An export writes the stored mocks as mockd YAML, OpenAPI 3.1 or AsyncAPI 3.0 (JSON with `Accept: application/json`).

import type { H3, H3Event } from 'h3';
import { stringify as toYaml } from 'yaml';
import { MockdError, validationError } from '../errors.ts';
import type { Coordinator } from '../coordinator/coordinator.ts';
import { checkImported, writeImported } from '../coordinator/imports.ts';
import { assignIds, importText, parseFormat } from '../import/index.ts';
import { EXPORT_FORMATS, exportAsyncApi, exportMockd, exportOpenApi, type ExportFormat } from '../export/index.ts';
import { json, MAX_ADMIN_BODY, query } from './respond.ts';

async function readText(event: H3Event): Promise<string> {
  const declared = Number(event.req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_ADMIN_BODY) throw new MockdError('body_too_large', `request body exceeds ${MAX_ADMIN_BODY} bytes`);
  const buf = await event.req.arrayBuffer();
  if (buf.byteLength > MAX_ADMIN_BODY) throw new MockdError('body_too_large', `request body exceeds ${MAX_ADMIN_BODY} bytes`);
  const text = new TextDecoder().decode(buf);
  if (text.trim() === '') throw validationError('body', 'the file to import is missing');
  return text;
}

function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  throw validationError(name, 'must be true or false');
}

function intParam(q: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw validationError(name, `must be an integer from ${min} to ${max}`);
  return n;
}

export function registerImportExportRoutes(app: H3, c: Coordinator): void {
  app.post('/import', async (event) => {
    const q = query(event);
    const format = parseFormat(q.get('format'));
    const dryRun = flag(q, 'dryRun');
    const replace = flag(q, 'replace');
    const prefix = q.get('prefix') || undefined;
    if (prefix !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(prefix)) throw validationError('prefix', 'must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$');
    const options = {
      validate: flag(q, 'validate'),
      seed: intParam(q, 'seed', 0, 2 ** 32 - 1),
      streamCount: intParam(q, 'streamCount', 1, 100000),
    };
    const result = await importText({ text: await readText(event) }, format, options);
    const raws = assignIds(result, prefix);
    if (dryRun) {
      const inputs = await checkImported(c, raws, replace);
      return json(200, { format: result.format, dryRun: true, mocks: inputs, warnings: result.warnings });
    }
    const written = await writeImported(c, raws, replace);
    return json(201, { format: result.format, created: written.created, mocks: written.mocks, warnings: [...result.warnings, ...written.warnings] });
  });

  app.get('/export', async (event) => {
    const q = query(event);
    const format = (q.get('format') || 'mockd') as ExportFormat;
    if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw validationError('format', `must be one of ${EXPORT_FORMATS.join(', ')}`);
    const mocks = c.store.all();
    const doc =
      format === 'openapi'
        ? exportOpenApi(mocks)
        : format === 'asyncapi'
          ? exportAsyncApi(mocks, { mockPort: await c.mockPort(), portOf: (m) => c.view(m).mqtt?.port ?? 0 })
          : exportMockd(mocks);
    if (q.get('as') === 'json' || (event.req.headers.get('accept') ?? '').includes('application/json')) return json(200, doc);
    return new Response(toYaml(doc, { aliasDuplicateObjects: false }), { status: 200, headers: { 'content-type': 'application/yaml' } });
  });
}
