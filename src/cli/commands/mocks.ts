// `mockd list | get | update | delete` (contract §10).

import type { Mock } from '../../mocks/types.ts';
import { isSseMock } from '../../mocks/types.ts';
import { print, printJson, printWarnings, table } from '../output.ts';
import { intOption, str, toArray, UsageError, type CommandDef } from '../registry.ts';
import { parseHeaders } from './add.ts';
import { printPreview } from './dry-run.ts';
import { ON_CHANGE_POLICIES, type OnChange } from '../../mocks/types.ts';

function mockPath(m: Mock): string {
  if (m.type === 'http') return m.http?.matcher.path ?? m.http?.matcher.pathPattern ?? '-';
  if (m.type === 'websocket') return m.websocket?.path ?? '-';
  if (m.type === 'mqtt') return `mqtt://:${m.mqtt?.port}`;
  return `grpc://:${m.grpc?.port}`;
}

function listRow(m: Mock) {
  const isHttp = m.type === 'http';
  return {
    id: m.id,
    ...(m.name ? { name: m.name } : {}),
    type: m.type,
    path: mockPath(m),
    method: isHttp ? (m.http?.matcher.method ?? '*').toUpperCase() : '-',
    status: isHttp ? (isSseMock(m) ? 'sse' : String(m.http?.response?.statusCode ?? '-')) : '-',
    enabled: m.enabled,
  };
}

const list: CommandDef = {
  path: ['list'],
  description: 'List mocks',
  options: [['-t, --type <type>', 'Only mocks of this type (http, sse, websocket, mqtt, grpc)']],
  async action(_args, o, { client, json }) {
    const type = str(o.type);
    const { mocks } = await client.get<{ mocks: Mock[] }>(`/mocks${type ? `?type=${encodeURIComponent(type)}` : ''}`);
    const rows = mocks.map(listRow);
    if (json) return printJson(rows);
    if (rows.length === 0) return print('No mocks');
    print(table(['ID', 'TYPE', 'PATH', 'METHOD', 'STATUS', 'ENABLED'], rows.map((r) => [r.id, r.type, r.path, r.method, r.status, String(r.enabled)])));
    print(`Total: ${rows.length} mock(s)`);
  },
};

const get: CommandDef = {
  path: ['get'],
  args: '<id>',
  description: 'Print a mock as JSON',
  async action([id], _o, { client }) {
    printJson(await client.get(`/mocks/${encodeURIComponent(id!)}`));
  },
};

const update: CommandDef = {
  path: ['update'],
  args: '<id>',
  description: 'Edit a mock',
  options: [
    ['--name <name>', 'New name'],
    ['--enabled <bool>', 'true or false'],
    ['--status <code>', 'HTTP response status'],
    ['--body <body>', 'HTTP response body'],
    ['--body-file <file>', 'HTTP response body file'],
    ['-H, --header <header>', 'Response header "K: V" (repeatable)'],
    ['--delay <ms>', 'Response delay in ms'],
    ['--on-change <policy>', 'What the change does to live connections from now on: close, drain or keep'],
    ['--drain-timeout <ms>', 'With --on-change drain: how long old connections may stay'],
    ['--dry-run', 'Show which connections the change would close, drain or keep, and change nothing'],
  ],
  async action([id], o, { client, json }) {
    const path = `/mocks/${encodeURIComponent(id!)}`;
    const mock = await client.get<Mock>(path);
    if (o.name !== undefined) mock.name = String(o.name);
    if (o.enabled !== undefined) {
      const v = String(o.enabled);
      if (v !== 'true' && v !== 'false') throw new UsageError('--enabled must be true or false');
      mock.enabled = v === 'true';
    }
    const response = mock.http?.response;
    const touchesResponse = ['status', 'body', 'bodyFile', 'header', 'delay'].some((k) => o[k] !== undefined);
    if (touchesResponse && !response) throw new UsageError('--status, --body, --body-file, -H and --delay apply to HTTP mocks only');
    if (response) {
      if (o.status !== undefined) response.statusCode = intOption(o.status, 'status')!;
      if (o.body !== undefined) {
        response.body = String(o.body);
        delete response.bodyFile;
      }
      if (o.bodyFile !== undefined) {
        response.bodyFile = String(o.bodyFile);
        delete response.body;
      }
      if (o.header !== undefined) response.headers = { ...response.headers, ...parseHeaders(toArray(o.header), 'header') };
      if (o.delay !== undefined) response.delayMs = intOption(o.delay, 'delay');
    }
    if (o.onChange !== undefined) {
      const v = String(o.onChange);
      if (!(ON_CHANGE_POLICIES as readonly string[]).includes(v)) throw new UsageError('--on-change must be close, drain or keep');
      mock.onChange = v as OnChange;
    }
    if (o.drainTimeout !== undefined) mock.drainTimeoutMs = intOption(o.drainTimeout, 'drain-timeout');
    const result = await client.put(o.dryRun ? `${path}?dryRun=true` : path, mock);
    if (json) return printJson(result);
    if (o.dryRun) return printPreview(result);
    printWarnings(result);
    print(`Updated mock: ${id}`);
  },
};

const del: CommandDef = {
  path: ['delete'],
  args: '<id>',
  description: 'Delete a mock',
  options: [['--dry-run', 'Show which connections the delete would close or drain, and delete nothing']],
  async action([id], o, { client, json }) {
    if (o.dryRun) {
      const preview = await client.delete(`/mocks/${encodeURIComponent(id!)}?dryRun=true`);
      return json ? printJson(preview) : printPreview(preview);
    }
    await client.delete(`/mocks/${encodeURIComponent(id!)}`);
    if (json) return printJson({ id, deleted: true });
    print(`Deleted mock: ${id}`);
  },
};

export const mockCommands: CommandDef[] = [list, get, update, del];
