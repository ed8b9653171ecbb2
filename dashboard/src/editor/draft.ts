// The mock being edited, as plain JSON (contract §2). The forms and the JSON/YAML editor are two views of this one
// object: a form input reads and writes one dotted path (`http.response.statusCode`, `mqtt.topics[0].qos`), the same
// path the admin API names in a validation error's `field`, so an error lands on the input that caused it. Fields
// no form shows are kept as they are.

import type { JournalEntry } from '../journal-types.ts';
import type { Mock } from '../types.ts';

export type Draft = Record<string, unknown>;
export type MockKind = 'http' | 'sse' | 'websocket' | 'mqtt' | 'grpc';
export const MOCK_KINDS: readonly MockKind[] = ['http', 'sse', 'websocket', 'mqtt', 'grpc'];
export const KIND_LABELS: Record<MockKind, string> = { http: 'HTTP', sse: 'SSE', websocket: 'WebSocket', mqtt: 'MQTT', grpc: 'gRPC' };

/**
 * `mqtt.topics[0].qos` → `['mqtt', 'topics', 0, 'qos']`. A key holding dots is quoted:
 * `grpc.services["pkg.Svc"].methods.M`.
 */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.match(/\["(?:[^"\\]|\\.)*"\]|\[\d+\]|[^.[\]]+/g) ?? []) {
    if (part.startsWith('["')) out.push(JSON.parse(part.slice(1, -1)) as string);
    else out.push(part.startsWith('[') ? Number(part.slice(1, -1)) : part);
  }
  return out;
}

/** The path as the admin API writes a validation error's `field` (dotted, `[n]` for indexes, keys unquoted). */
export function toApiField(path: string): string {
  let out = '';
  for (const part of parsePath(path)) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

/** Whether an error at `field` (the API's path) belongs to the input at `path` (the same form): it is that path or
 * lies inside it. */
export function isErrorAt(field: string | undefined, path: string): boolean {
  if (!field) return false;
  return field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);
}

/** A path segment for `key`, quoted when it holds a dot. */
export function keySegment(key: string): string {
  return /^[A-Za-z0-9_$-]+$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

export function getIn(value: unknown, path: string): unknown {
  let cur = value;
  for (const key of parsePath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/**
 * A copy of `value` with `path` set. `undefined` removes the key, and an object left empty by that goes too, so
 * clearing the last field of an optional block (`onPublish.response.payload`) does not leave `{}` for the schema to
 * reject. An array keeps its length.
 */
export function setIn<T>(value: T, path: string | (string | number)[], next: unknown): T {
  const keys = typeof path === 'string' ? parsePath(path) : path;
  if (keys.length === 0) return next as T;
  const [key, ...rest] = keys as [string | number, ...(string | number)[]];
  const base = value !== null && typeof value === 'object' ? value : typeof key === 'number' ? [] : {};
  const copy = (Array.isArray(base) ? [...base] : { ...base }) as Record<string | number, unknown>;
  const child = setIn(copy[key], rest, next);
  if (child === undefined && !Array.isArray(copy)) {
    delete copy[key];
    if (Object.keys(copy).length === 0) return undefined as T;
  } else copy[key] = child;
  return copy as T;
}

export function kindOf(mock: Draft): MockKind {
  const type = (mock.type as string | undefined) ?? ['http', 'websocket', 'mqtt', 'grpc'].find((k) => k in mock) ?? 'http';
  if (type === 'http') return getIn(mock, 'http.sse') !== undefined ? 'sse' : 'http';
  return type as MockKind;
}

/** A new mock of a kind, with the fields its form starts from. Port 0 lets mockd pick a free port (§1). */
export function newDraft(kind: MockKind): Draft {
  switch (kind) {
    case 'http':
      return { type: 'http', name: '', enabled: true, http: { matcher: { method: 'GET', path: '/hello' }, response: { statusCode: 200, body: '{"hello":"world"}' } } };
    case 'sse':
      return { type: 'http', name: '', enabled: true, http: { matcher: { method: 'GET', path: '/events' }, sse: { events: [{ type: 'message', data: '{"n":1}' }], timing: { fixedDelay: 1000 } } } };
    case 'websocket':
      return { type: 'websocket', name: '', enabled: true, websocket: { path: '/ws', echoMode: true } };
    case 'mqtt':
      return { type: 'mqtt', name: '', enabled: true, mqtt: { port: 0, topics: [{ topic: 'sensors/temp', qos: 0, retain: true, messages: [{ payload: '{"t":21}' }] }] } };
    case 'grpc':
      return { type: 'grpc', name: '', enabled: true, grpc: { port: 0, protoFile: '', services: {} } };
  }
}

/** What the editor shows for a stored mock: server-set fields are left out (§2: client values are ignored). */
export function toDraft(mock: Mock): Draft {
  const { createdAt: _c, updatedAt: _u, ...rest } = mock as Mock & { createdAt?: string; updatedAt?: string };
  return rest as Draft;
}

/**
 * A copy to save as a new mock. Left as it is, the copy would collide with its original: a WebSocket path is served
 * by one mock only (409 route_collision), and a create on an MQTT or gRPC port already in use merges into that mock
 * (§6, §7), so the copy gets its own path or port 0.
 */
export function duplicateDraft(mock: Mock): Draft {
  let d = toDraft(mock);
  delete d.id;
  d = { ...d, name: mock.name ? `${mock.name} (copy)` : `copy of ${mock.id}` };
  if (mock.type === 'websocket') d = setIn(d, 'websocket.path', `${String(getIn(d, 'websocket.path'))}-copy`);
  if (mock.type === 'mqtt') d = setIn(d, 'mqtt.port', 0);
  if (mock.type === 'grpc') d = setIn(d, 'grpc.port', 0);
  return d;
}

/** An HTTP mock matching an unmatched request exactly: its method and path (and query), answered with 200. */
export function draftFromRequest(entry: JournalEntry): Draft {
  const req = entry.http!;
  const matcher: Record<string, unknown> = { method: req.method, path: req.path };
  if (Object.keys(req.query).length > 0) matcher.queryParams = req.query;
  return { type: 'http', name: `${req.method} ${req.path}`, http: { matcher, response: { statusCode: 200, body: '{"ok":true}' } } };
}
