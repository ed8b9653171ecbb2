// Which journal entries a filter keeps (contract §12), and which entries count as calls of a mock.

import { validationError } from '../errors.ts';
import { JOURNAL_PROTOCOLS, entryNumber, type JournalEntry, type JournalFilter, type JournalProtocol } from './types.ts';

/**
 * A call is what verify counts: an HTTP request, a gRPC call, an SSE stream, a WebSocket frame received or an MQTT
 * PUBLISH received that the mock handled.
 */
export function isCall(e: JournalEntry): boolean {
  if (!e.matched || e.mockId === undefined || e.change) return false;
  switch (e.protocol) {
    case 'http':
      return true;
    case 'grpc':
      return e.grpc!.kind === 'call';
    case 'sse':
      return e.sse!.kind === 'open';
    case 'websocket':
      return e.websocket!.direction === 'in';
    case 'mqtt':
      return e.mqtt!.direction === 'in';
  }
}

function connectionIdOf(e: JournalEntry): string | undefined {
  return e.websocket?.connectionId ?? e.sse?.connectionId ?? e.mqtt?.clientId ?? e.grpc?.streamId;
}

/** Entries carry the connection's path for WebSocket and SSE (kept beside the block, stripped on output). */
export interface StoredEntry extends JournalEntry {
  _path?: string;
}

export function matchesFilter(e: StoredEntry, f: JournalFilter): boolean {
  if (f.since !== undefined && entryNumber(e.id) <= f.since) return false;
  if (f.protocol !== undefined && e.protocol !== f.protocol) return false;
  if (f.mockId !== undefined && e.mockId !== f.mockId) return false;
  if (f.matched !== undefined && e.matched !== f.matched) return false;
  if (f.connectionId !== undefined && connectionIdOf(e) !== f.connectionId) return false;
  if (f.topic !== undefined && e.mqtt?.topic !== f.topic) return false;
  if (f.method !== undefined) {
    if (e.http) {
      if (e.http.method.toUpperCase() !== f.method.toUpperCase()) return false;
    } else if (e.grpc) {
      if (e.grpc.method !== f.method) return false;
    } else return false;
  }
  if (f.path !== undefined && (e.http?.path ?? e._path) !== f.path) return false;
  if (f.callsOnly && !isCall(e)) return false;
  if ((f.changes === true) !== (e.change !== undefined)) return false;
  if ((f.faults === true) !== (e.fault !== undefined)) return false;
  if (f.valid !== undefined && (e.mqtt?.valid ?? e.websocket?.valid) !== f.valid) return false;
  return true;
}

/** Reads the filter keys from a query string or a JSON object; bad values are 400 validation errors. */
export function parseFilter(input: Record<string, unknown>, fieldPrefix = ''): JournalFilter {
  const at = (k: string) => `${fieldPrefix}${k}`;
  const f: JournalFilter = {};
  const text = (k: string): string | undefined => {
    const v = input[k];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw validationError(at(k), 'must be a string');
    return v;
  };
  const protocol = text('protocol');
  if (protocol !== undefined) {
    if (!(JOURNAL_PROTOCOLS as readonly string[]).includes(protocol)) {
      throw validationError(at('protocol'), `must be one of ${JOURNAL_PROTOCOLS.join(', ')}`);
    }
    f.protocol = protocol as JournalProtocol;
  }
  const valid = input.valid;
  if (valid !== undefined && valid !== '') {
    if (valid === true || valid === 'true') f.valid = true;
    else if (valid === false || valid === 'false') f.valid = false;
    else throw validationError(at('valid'), 'must be true or false');
  }
  const faults = input.faults;
  if (faults !== undefined && faults !== '') {
    if (faults === true || faults === 'true') f.faults = true;
    else if (faults !== false && faults !== 'false') throw validationError(at('faults'), 'must be true or false');
  }
  const changes = input.changes;
  if (changes !== undefined && changes !== '') {
    if (changes === true || changes === 'true') f.changes = true;
    else if (changes !== false && changes !== 'false') throw validationError(at('changes'), 'must be true or false');
  }
  const matched = input.matched;
  if (matched !== undefined && matched !== '') {
    if (matched === true || matched === 'true') f.matched = true;
    else if (matched === false || matched === 'false') f.matched = false;
    else throw validationError(at('matched'), 'must be true or false');
  }
  for (const k of ['mockId', 'connectionId', 'topic', 'method', 'path'] as const) {
    const v = text(k);
    if (v !== undefined) f[k] = v;
  }
  const since = text('since');
  if (since !== undefined) {
    if (!/^req-\d+$/.test(since)) throw validationError(at('since'), 'must be a journal entry id like req-12');
    f.since = entryNumber(since);
  }
  return f;
}
